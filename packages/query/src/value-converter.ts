import { Buffer } from 'node:buffer'
import {
  DuckDBArrayValue,
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBGeometryValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimeNSValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTimeTZValue,
  DuckDBTimeValue,
  type DuckDBType,
  DuckDBTypeId,
  DuckDBUnionValue,
  type DuckDBValue,
  DuckDBVariantValue,
} from '@duckdb/node-api'
import { CalendarDate, Decimal } from '@lakehouse/kit'
import { formatDate, formatTime, formatTimestamp, formatTimeTz, MICROS, MILLIS, NANOS, SECONDS, type TimeUnit } from './temporal-format.ts'
import type { QueryValue } from './types.ts'

/**
 * DuckDB values → codec-ready values, one converter per result column built from the column's
 * type before the first row is read, so the per-cell cost is one closure call. The mapping is
 * the wire contract (docs/query.md): identical on Node and Bun because it depends only on the
 * integers DuckDB hands over, never on the runtime's Date or number formatting.
 */
export type Convert = (value: DuckDBValue) => QueryValue

const identity: Convert = (v) => v as QueryValue
const finiteOrNull: Convert = (v) => (typeof v === 'number' && !Number.isFinite(v) ? null : (v as QueryValue))

/** The shortest decimal that rounds to the same float32, so FLOAT 0.1 reads 0.1, not 0.10000000149011612. */
function shortestFloat32(x: number): number {
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(x.toPrecision(digits))
    if (Math.fround(candidate) === x) return candidate
  }
  return x
}

const float: Convert = (v) => (typeof v !== 'number' ? (v as QueryValue) : Number.isFinite(v) ? shortestFloat32(v) : null)

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')

const INFINITY = (finite: boolean, negative: boolean): string | undefined => (finite ? undefined : negative ? '-infinity' : 'infinity')

function timestamp(units: bigint, unit: TimeUnit, finite: boolean): string {
  return INFINITY(finite, units < 0n) ?? formatTimestamp(units, unit)
}

/** Conversion by the value's class, for VARIANT members and types without static information. */
export function convertDynamic(v: DuckDBValue): QueryValue {
  if (v === null || typeof v !== 'object') return typeof v === 'number' && !Number.isFinite(v) ? null : v
  if (v instanceof DuckDBDecimalValue) return new Decimal(v.toString())
  if (v instanceof DuckDBDateValue) return INFINITY(v.isFinite, v.days < 0) ?? new CalendarDate(formatDate(v.days))
  if (v instanceof DuckDBTimestampValue || v instanceof DuckDBTimestampTZValue) return timestamp(v.micros, MICROS, v.isFinite)
  if (v instanceof DuckDBTimestampMillisecondsValue) return timestamp(v.millis, MILLIS, v.isFinite)
  if (v instanceof DuckDBTimestampSecondsValue) return timestamp(v.seconds, SECONDS, v.isFinite)
  if (v instanceof DuckDBTimestampNanosecondsValue) return timestamp(v.nanos, NANOS, v.isFinite)
  if (v instanceof DuckDBTimeValue) return formatTime(v.micros, MICROS)
  if (v instanceof DuckDBTimeNSValue) return formatTime(v.nanos, NANOS)
  if (v instanceof DuckDBTimeTZValue) return formatTimeTz(v.micros, v.offset)
  if (v instanceof DuckDBBlobValue || v instanceof DuckDBGeometryValue) return base64(v.bytes)
  if (v instanceof DuckDBListValue || v instanceof DuckDBArrayValue) return v.items.map(convertDynamic)
  if (v instanceof DuckDBStructValue) return Object.fromEntries(Object.entries(v.entries).map(([k, x]) => [k, convertDynamic(x)]))
  if (v instanceof DuckDBMapValue) return v.entries.map((e) => ({ key: convertDynamic(e.key), value: convertDynamic(e.value) }))
  if (v instanceof DuckDBUnionValue) return { tag: v.tag, value: convertDynamic(v.value) }
  if (v instanceof DuckDBVariantValue) return convertDynamic(v.value)
  // UUID, INTERVAL, BIT and anything newer: DuckDB's own text form.
  return String(v)
}

const nullable =
  (convert: Convert): Convert =>
  (v) =>
    v === null ? null : convert(v)

function structConverter(names: readonly string[], types: readonly DuckDBType[]): Convert {
  const children = types.map(converterFor)
  return nullable((v) => {
    const entries = (v as DuckDBStructValue).entries
    // fromEntries defines own properties, so a field named "__proto__" stays data, not a prototype.
    // (@duckdb/node-api builds `entries` by assignment, which loses such a field: it reads as null.)
    return Object.fromEntries(
      names.map((name, i) => [name, (children[i] ?? convertDynamic)(Object.hasOwn(entries, name) ? (entries[name] ?? null) : null)]),
    )
  })
}

export function converterFor(type: DuckDBType): Convert {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
    case DuckDBTypeId.SQLNULL:
      return identity
    case DuckDBTypeId.DOUBLE:
      return finiteOrNull
    case DuckDBTypeId.FLOAT:
      return float
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const child = converterFor(type.valueType)
      return nullable((v) => (v as DuckDBListValue | DuckDBArrayValue).items.map(child))
    }
    case DuckDBTypeId.STRUCT:
      return structConverter(type.entryNames, type.entryTypes)
    case DuckDBTypeId.MAP: {
      const key = converterFor(type.keyType)
      const value = converterFor(type.valueType)
      return nullable((v) => (v as DuckDBMapValue).entries.map((e) => ({ key: key(e.key), value: value(e.value) })))
    }
    case DuckDBTypeId.UNION: {
      const members = new Map(
        type.memberTags.map((tag, i): [string, Convert] => {
          const member = type.memberTypes[i]
          return [tag, member === undefined ? convertDynamic : converterFor(member)]
        }),
      )
      return nullable((v) => {
        const u = v as DuckDBUnionValue
        return { tag: u.tag, value: (members.get(u.tag) ?? convertDynamic)(u.value) }
      })
    }
    default:
      // Scalars whose JS form is a value class: the class carries everything needed.
      return convertDynamic
  }
}
