import { Buffer } from 'node:buffer'
import { type DuckDBDataChunk, DuckDBStructType, type DuckDBType, DuckDBTypeId } from '@duckdb/node-api'
import {
  arrayChild,
  isValid,
  listChild,
  listSize,
  type RawVector,
  rawColumn,
  rawData,
  rawValidity,
  setListSize,
  stringLength,
  structChild,
} from './engine-vectors.ts'

/**
 * Lower bounds of a chunk's encoded rows, read from the engine's vectors before anything is
 * copied into JavaScript (engine-vectors.ts), and the cut: the first row whose bound no longer
 * fits the byte budget. Rows are then only read up to the cut, after the chunk is trimmed so that
 * node-api copies no more than those rows need. So a 300 MB string is never decoded and a list of
 * 50M numbers never copied: each is refused from its 16-byte header.
 *
 * A bound counts what the JSON encoding cannot do without: a string's bytes and its quotes, base64
 * of a BLOB, one byte per number, the brackets, commas and member names of nested values, "null".
 * The exact size is charged afterwards, while the rows are encoded (json-cells.ts).
 */

/** Per item lower bound; answers as soon as the bound passes `budget` (it may stop counting there). */
interface Sizer {
  bound(index: number, budget: number): number
  /** Shrinks list children to what items [0, count) reach, so a later copy reads no further. */
  trim(count: number): void
  /** Child items that items [0, index] reach, for list vectors: the copy their reading costs. */
  reach(index: number): number
}

const NULL_BYTES = 4
const jsonKeyBytes = (name: string) => Buffer.byteLength(JSON.stringify(name)) + 1

/** Smallest encoding any value of the type can have, NULL ("null", 4 bytes) included. */
export function minBytes(type: DuckDBType): number {
  return Math.min(NULL_BYTES, minValueBytes(type))
}

function minValueBytes(type: DuckDBType): number {
  switch (type.typeId) {
    case DuckDBTypeId.SQLNULL:
      return NULL_BYTES
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.BLOB:
    case DuckDBTypeId.GEOMETRY:
    case DuckDBTypeId.BIT:
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.MAP:
      return 2
    case DuckDBTypeId.ARRAY:
      return type.length === 0 ? 2 : 1 + type.length * (minBytes(type.valueType) + 1)
    case DuckDBTypeId.STRUCT:
      return type.entryNames.reduce((sum, name, i) => sum + jsonKeyBytes(name) + minBytes(type.entryTypes[i] as DuckDBType) + 1, 1)
    case DuckDBTypeId.UNION:
      return (
        17 +
        Math.min(...type.memberTags.map((tag, i) => Buffer.byteLength(JSON.stringify(tag)) + minBytes(type.memberTypes[i] as DuckDBType)))
      )
    default:
      return 1
  }
}

/** Types DuckDB stores as strings (a 16-byte header, then the bytes). */
export function stringLike(type: DuckDBType): boolean {
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.BLOB:
    case DuckDBTypeId.GEOMETRY:
    case DuckDBTypeId.BIT:
    case DuckDBTypeId.BIGNUM:
      return true
    default:
      return false
  }
}

/** Scalars whose bound is always `minBytes`: nothing to read per item. */
function fixed(type: DuckDBType): boolean {
  if (stringLike(type)) return false
  switch (type.typeId) {
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.MAP:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.UNION:
      return false
    default:
      return true
  }
}

const FIXED: Sizer = { bound: () => 1, trim: () => undefined, reach: () => 0 }
const ALWAYS_NULL: Sizer = { bound: () => NULL_BYTES, trim: () => undefined, reach: () => 0 }

/** Copies of a vector's first items, grown by doubling up to `capacity`. */
function loader(vector: RawVector, capacity: number, itemBytes: number) {
  let loaded = 0
  let data: DataView = new DataView(new ArrayBuffer(0))
  let mask: Uint8Array | null = null
  return {
    ensure(count: number) {
      if (count <= loaded) return
      loaded = Math.min(capacity, Math.max(count, loaded * 2, 64))
      const bytes = rawData(vector, loaded * itemBytes)
      data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      mask = rawValidity(vector, loaded)
    },
    data: () => data,
    mask: () => mask,
    valid: (index: number) => isValid(mask, index),
  }
}

/** Smallest encoded size of a string-stored value from its byte length, per type. */
export function stringBytes(type: DuckDBType): (length: number) => number {
  switch (type.typeId) {
    case DuckDBTypeId.BLOB:
    case DuckDBTypeId.GEOMETRY:
      return (n) => 4 * Math.ceil(n / 3) + 2
    case DuckDBTypeId.BIT:
      // One padding-count byte, then the bits; up to 7 of the last byte's bits are padding.
      return (n) => Math.max(0, (n - 1) * 8 - 7) + 2
    case DuckDBTypeId.BIGNUM:
      // 3 header bytes, then big-endian magnitude: at least 2.4 decimal digits per byte but the first.
      return (n) => Math.max(1, Math.floor((n - 4) * 2.4))
    default:
      return (n) => n + 2
  }
}

function stringSizer(vector: RawVector, capacity: number, type: DuckDBType): Sizer {
  const items = loader(vector, capacity, 16)
  const size = stringBytes(type)
  return {
    bound(index) {
      items.ensure(index + 1)
      return items.valid(index) ? size(stringLength(items.data(), index)) : NULL_BYTES
    },
    trim: () => undefined,
    reach: () => 0,
  }
}

function listSizer(vector: RawVector, capacity: number, childType: DuckDBType): Sizer {
  const items = loader(vector, capacity, 16)
  const childMin = minBytes(childType)
  const childFixed = fixed(childType)
  // A list of strings is bounded by its element count alone: reading millions of headers here would
  // cost a copy as large as the one node-api makes anyway. The writer checks each string's length
  // before decoding it (json-cells.ts), so a long one is still never read.
  const quickOnly = childFixed || stringLike(childType)
  let child: Sizer | undefined
  const childSizer = () => {
    child ??= sizerFor(listChild(vector), listSize(vector), childType)
    return child
  }
  const entry = (index: number): [offset: number, length: number] => {
    items.ensure(index + 1)
    if (!items.valid(index)) return [0, 0]
    const data = items.data()
    return [Number(data.getBigUint64(index * 16, true)), Number(data.getBigUint64(index * 16 + 8, true))]
  }
  let reached = 0
  let reachedIndex = -1
  return {
    bound(index, budget) {
      items.ensure(index + 1)
      if (!items.valid(index)) return NULL_BYTES
      const [offset, length] = entry(index)
      if (length === 0) return 2
      const quick = 1 + length * (childMin + 1)
      if (quick > budget || quickOnly) return quick
      const sizer = childSizer()
      let sum = 1
      for (let k = offset; k < offset + length && sum <= budget; k++) sum += sizer.bound(k, budget - sum) + 1
      return sum
    },
    reach(index) {
      for (let i = reachedIndex + 1; i <= index; i++) {
        const [offset, length] = entry(i)
        if (length > 0) reached = Math.max(reached, offset + length, childFixed ? 0 : childSizer().reach(offset + length - 1))
      }
      reachedIndex = Math.max(reachedIndex, index)
      return reached
    },
    trim(count) {
      let end = 0
      for (let i = 0; i < count; i++) {
        const [offset, length] = entry(i)
        if (length > 0) end = Math.max(end, offset + length)
      }
      if (end < listSize(vector)) setListSize(vector, end)
      if (!childFixed) childSizer().trim(end)
    },
  }
}

function arraySizer(vector: RawVector, capacity: number, childType: DuckDBType, length: number): Sizer {
  const items = loader(vector, capacity, 0)
  const child = fixed(childType) ? undefined : sizerFor(arrayChild(vector), capacity * length, childType)
  const childMin = minBytes(childType)
  return {
    bound(index, budget) {
      items.ensure(index + 1)
      if (!items.valid(index)) return NULL_BYTES
      if (length === 0) return 2
      if (child === undefined) return 1 + length * (childMin + 1)
      let sum = 1
      for (let k = index * length; k < (index + 1) * length && sum <= budget; k++) sum += child.bound(k, budget - sum) + 1
      return sum
    },
    reach: (index) => child?.reach((index + 1) * length - 1) ?? 0,
    trim: (count) => child?.trim(count * length),
  }
}

function structSizer(vector: RawVector, capacity: number, names: readonly string[], types: readonly DuckDBType[]): Sizer {
  const items = loader(vector, capacity, 0)
  const keys = names.map(jsonKeyBytes)
  const children = types.map((t, i) => (fixed(t) ? undefined : sizerFor(structChild(vector, i), capacity, t)))
  return {
    bound(index, budget) {
      items.ensure(index + 1)
      if (!items.valid(index)) return NULL_BYTES
      let sum = 1
      for (let i = 0; i < keys.length && sum <= budget; i++) sum += (keys[i] ?? 0) + (children[i]?.bound(index, budget - sum) ?? 1) + 1
      return Math.max(sum, 2)
    },
    reach: (index) => Math.max(0, ...children.map((c) => c?.reach(index) ?? 0)),
    trim: (count) => {
      for (const c of children) c?.trim(count)
    },
  }
}

function unionSizer(vector: RawVector, capacity: number, tags: readonly string[], types: readonly DuckDBType[]): Sizer {
  const items = loader(vector, capacity, 0)
  const tagItems = loader(structChild(vector, 0), capacity, 1)
  const tagBytes = tags.map((t) => Buffer.byteLength(JSON.stringify(t)))
  const members = types.map((t, i) => (fixed(t) ? undefined : sizerFor(structChild(vector, i + 1), capacity, t)))
  return {
    bound(index, budget) {
      items.ensure(index + 1)
      if (!items.valid(index)) return NULL_BYTES
      tagItems.ensure(index + 1)
      const tag = tagItems.data().getUint8(index)
      return 17 + (tagBytes[tag] ?? 0) + (members[tag]?.bound(index, budget) ?? 1)
    },
    reach: (index) => Math.max(0, ...members.map((m) => m?.reach(index) ?? 0)),
    trim: (count) => {
      for (const m of members) m?.trim(count)
    },
  }
}

function sizerFor(vector: RawVector, capacity: number, type: DuckDBType): Sizer {
  switch (type.typeId) {
    case DuckDBTypeId.SQLNULL:
      return ALWAYS_NULL
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.BLOB:
    case DuckDBTypeId.GEOMETRY:
    case DuckDBTypeId.BIT:
    case DuckDBTypeId.BIGNUM:
      return stringSizer(vector, capacity, type)
    case DuckDBTypeId.LIST:
      return listSizer(vector, capacity, type.valueType)
    case DuckDBTypeId.MAP:
      // Physically a LIST of STRUCT(key, value) (engine-vectors.ts, behaviour 4).
      return listSizer(vector, capacity, new DuckDBStructType(['key', 'value'], [type.keyType, type.valueType]))
    case DuckDBTypeId.ARRAY:
      return arraySizer(vector, capacity, type.valueType, type.length)
    case DuckDBTypeId.STRUCT:
      return structSizer(vector, capacity, type.entryNames, type.entryTypes)
    case DuckDBTypeId.UNION:
      return unionSizer(vector, capacity, type.memberTags, type.memberTypes)
    default:
      return FIXED
  }
}

export interface ChunkCut {
  /** Rows [0, rows) fit the budget by their lower bounds. */
  readonly rows: number
  /** Lower bound of each of those rows (a row's brackets and commas included). */
  readonly bounds: readonly number[]
}

/**
 * The rows of `chunk` whose lower bounds fit `budget`, in order, and the chunk trimmed to them.
 * A row also stops the cut when the nested items it needs copied would pass `maxItems` (a list
 * laid out out of order, or one far larger than its encoding bound suggests).
 */
export async function cutChunk(
  chunk: DuckDBDataChunk,
  types: readonly DuckDBType[],
  budget: number,
  maxItems: number,
  /** Called between rows; resolves true when the reader must stop (it may yield to the event loop). */
  between: () => Promise<boolean> | boolean,
): Promise<ChunkCut | undefined> {
  const count = chunk.rowCount
  const sizers = types.map((type, c) => (fixed(type) ? undefined : sizerFor(rawColumn(chunk, c), count, type)))
  const base = 2 + types.length // "[", "]", separators, and the comma before the next row
  const bounds: number[] = []
  let used = 0
  let rows = 0
  for (; rows < count; rows++) {
    if (await between()) return undefined
    let row = base
    for (let c = 0; c < types.length && used + row <= budget; c++) row += sizers[c]?.bound(rows, budget - used - row) ?? 1
    if (used + row > budget) break
    let reach = 0
    for (const s of sizers) reach = Math.max(reach, s?.reach(rows) ?? 0)
    if (reach > maxItems) break
    used += row
    bounds.push(row)
  }
  // Always trimmed: a list's child may also hold items no row reaches.
  for (const s of sizers) s?.trim(rows)
  if (rows < count) chunk.rowCount = rows
  return { rows, bounds }
}
