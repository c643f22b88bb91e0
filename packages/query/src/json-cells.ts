import { Buffer } from 'node:buffer'
import {
  DuckDBListType,
  type DuckDBListVector,
  DuckDBStructType,
  type DuckDBStructVector,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBVector,
} from '@duckdb/node-api'
import { encodeJson, jsonSafeInteger } from '@lakehouse/kit'
import { stringItemLength } from './engine-vectors.ts'
import { stringBytes, stringLike } from './result-size.ts'
import type { QueryValue } from './types.ts'
import { converterFor } from './value-converter.ts'

/**
 * Writes result cells as the exact JSON text kit's codec gives their converted values
 * (value-converter.ts), counting UTF-8 bytes as it goes, so the byte cap is exact and the same on
 * every runtime. LIST and MAP cells (and STRUCTs holding them), the values a query can grow
 * without bound, are written element by element from their child vectors, never materialised
 * whole, and their loops yield when the time slice is spent, so the event loop keeps serving while
 * a large cell is written. Every other cell goes through its converter, as before.
 */

/** Thrown when a row passes the bytes it may use. */
export const OVER_BUDGET: unique symbol = Symbol('over budget')

export interface RowText {
  /** The row's text so far is `text` followed by `parts` (see `flush`). */
  text: string
  readonly parts: string[]
  bytes: number
  /** Bytes this row may use. */
  readonly limit: number
  /** True when the caller's time slice is spent (asked every few hundred elements). */
  readonly due: () => boolean
}

export function add(out: RowText, text: string, bytes: number): void {
  // Pieces are joined in batches: a string built from millions of `+=` is a rope that costs the
  // event loop a long flatten later (measured: ~0.5 s for a list of 8M numbers).
  if (out.parts.push(text) >= 4096) flush(out)
  out.bytes += bytes
  if (out.bytes > out.limit) throw OVER_BUDGET
}

/** Moves the batched pieces into `text`. */
export function flush(out: RowText): void {
  out.text += out.parts.join('')
  out.parts.length = 0
}

/** JSON text of one converted value: kit's codec, with fast paths for the common scalars. */
export function valueJson(value: QueryValue): string {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null'
    case 'string':
      return JSON.stringify(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'bigint': {
      const safe = jsonSafeInteger(value)
      return typeof safe === 'number' ? String(safe) : `"${safe}"`
    }
    default:
      return encodeJson(value)
  }
}

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8')

type Step = Generator<undefined, void, undefined>

/** How a column (or a nested element) is written: at once (`leaf`), or element by element (`walk`). */
export type CellWriter =
  | { readonly leaf: (vector: DuckDBVector, index: number, out: RowText) => void; readonly walk?: undefined }
  | { readonly walk: (vector: DuckDBVector, index: number, out: RowText) => Step; readonly leaf?: undefined }

const YIELD_EVERY = 256

/** Types whose JSON text can hold non-ASCII (so their bytes must be counted, not their length). */
function mayHoldText(type: DuckDBType): boolean {
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.MAP:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.UNION:
    case DuckDBTypeId.VARIANT:
      return true
    default:
      return false
  }
}

function leafWriter(type: DuckDBType): CellWriter {
  if (type.typeId === DuckDBTypeId.SQLNULL) return { leaf: (_v, _i, out) => add(out, 'null', 4) }
  const convert = converterFor(type)
  const text = mayHoldText(type)
  const floor = stringLike(type) ? stringBytes(type) : undefined
  return {
    leaf(vector, index, out) {
      if (floor !== undefined) {
        // Measured from its header before getItem copies and decodes it (engine-vectors.ts).
        const length = stringItemLength(vector, index)
        if (length !== undefined && out.bytes + floor(length) > out.limit) throw OVER_BUDGET
      }
      const json = valueJson(convert(vector.getItem(index)))
      add(out, json, text ? utf8Bytes(json) : json.length)
    },
  }
}

/** True when a value of this type can hold a LIST or MAP, i.e. grow with the data. */
export function unbounded(type: DuckDBType): boolean {
  switch (type.typeId) {
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.MAP:
      return true
    case DuckDBTypeId.STRUCT:
      return type.entryTypes.some(unbounded)
    default:
      return false
  }
}

/**
 * The type to read a column's vector as for `cellWriter(type)`: a MAP that is walked is read as
 * its physical LIST(STRUCT(key, value)) (engine-vectors.ts, behaviour 4); whatever is written at
 * once keeps its own type, for its converter.
 */
export function walkType(type: DuckDBType): DuckDBType {
  if (!unbounded(type)) return type
  switch (type.typeId) {
    case DuckDBTypeId.LIST:
      return new DuckDBListType(walkType(type.valueType))
    case DuckDBTypeId.MAP:
      return new DuckDBListType(new DuckDBStructType(['key', 'value'], [walkType(type.keyType), walkType(type.valueType)]))
    case DuckDBTypeId.STRUCT:
      return new DuckDBStructType(type.entryNames, type.entryTypes.map(walkType))
    default:
      return type
  }
}

function* element(writer: CellWriter, vector: DuckDBVector, index: number, out: RowText): Step {
  if (writer.leaf !== undefined) writer.leaf(vector, index, out)
  else yield* writer.walk(vector, index, out)
}

/** LIST (and MAP, whose elements are its {key, value} entries): `[e0,e1,…]`. */
function listWriter(
  writeElement: ((items: DuckDBVector, k: number, out: RowText) => Step) | undefined,
  leaf?: (vector: DuckDBVector, index: number, out: RowText) => void,
): CellWriter {
  return {
    *walk(vector, index, out) {
      // getItemVector slices the child vector (no element is copied), or answers null for NULL.
      const items = (vector as DuckDBListVector).getItemVector(index)
      if (items === null) {
        add(out, 'null', 4)
        return
      }
      add(out, '[', 1)
      for (let k = 0; k < items.itemCount; k++) {
        if (k > 0) add(out, ',', 1)
        if (leaf !== undefined) leaf(items, k, out)
        else if (writeElement !== undefined) yield* writeElement(items, k, out)
        if (k % YIELD_EVERY === YIELD_EVERY - 1 && out.due()) {
          flush(out)
          yield
        }
      }
      add(out, ']', 1)
    },
  }
}

/** 0 … 2^32 − 2 in canonical form: JavaScript puts such property names first, in numeric order. */
const ARRAY_INDEX = /^(0|[1-9]\d{0,9})$/
const isArrayIndex = (name: string) => ARRAY_INDEX.test(name) && Number(name) < 2 ** 32 - 1

function structWriter(names: readonly string[], types: readonly DuckDBType[]): CellWriter {
  const fields = names.map((name, position) => {
    const key = `${JSON.stringify(name)}:`
    return { name, position, key, keyBytes: utf8Bytes(key), writer: cellWriter(types[position] as DuckDBType) }
  })
  // Members in the order JSON.stringify gives the object value-converter.ts builds.
  const ordered = [
    ...fields.filter((f) => isArrayIndex(f.name)).sort((a, b) => Number(a.name) - Number(b.name)),
    ...fields.filter((f) => !isArrayIndex(f.name)),
  ]
  return {
    *walk(vector, index, out) {
      const struct = vector as DuckDBStructVector
      if (!struct.isItemValid(index)) {
        add(out, 'null', 4)
        return
      }
      add(out, '{', 1)
      for (let n = 0; n < ordered.length; n++) {
        const f = ordered[n] as (typeof ordered)[number]
        if (n > 0) add(out, ',', 1)
        add(out, f.key, f.keyBytes)
        // @duckdb/node-api builds STRUCT values by assignment, so a field named __proto__ reads
        // null through the converter (docs/query.md, "Type mapping"); written the same here.
        if (f.name === '__proto__') add(out, 'null', 4)
        else yield* element(f.writer, struct.entryVectorAt(f.position), index, out)
      }
      add(out, '}', 1)
    },
  }
}

/** The writer for a column or element type, built once per result before any row is read. */
export function cellWriter(type: DuckDBType): CellWriter {
  if (!unbounded(type)) return leafWriter(type)
  switch (type.typeId) {
    case DuckDBTypeId.LIST: {
      const child = cellWriter(type.valueType)
      const leaf = child.leaf
      // Scalar elements are written in the loop itself: no generator per element.
      if (leaf !== undefined) return listWriter(undefined, leaf)
      return listWriter((items, k, out) => element(child, items, k, out))
    }
    case DuckDBTypeId.MAP: {
      const key = cellWriter(type.keyType)
      const value = cellWriter(type.valueType)
      return listWriter(function* (items, k, out) {
        const entries = items as DuckDBStructVector
        add(out, '{"key":', 7)
        yield* element(key, entries.entryVectorAt(0), k, out)
        add(out, ',"value":', 9)
        yield* element(value, entries.entryVectorAt(1), k, out)
        add(out, '}', 1)
      })
    }
    case DuckDBTypeId.STRUCT:
      return structWriter(type.entryNames, type.entryTypes)
    default:
      return leafWriter(type)
  }
}
