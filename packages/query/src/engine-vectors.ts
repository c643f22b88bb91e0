import { createRequire } from 'node:module'
import { type DuckDBDataChunk, type DuckDBType, DuckDBVector } from '@duckdb/node-api'

/**
 * The one file that reads DuckDB result vectors below @duckdb/node-api's value API, so a result
 * can be measured before anything of it is copied into JavaScript (issue 12). The behaviours
 * relied on, each pinned by `test/duckdb-behaviour.test.ts`:
 *
 * 1. `DuckDBDataChunk.getColumnVector` copies the whole column into JS memory, nested children
 *    included (node-bindings builds with NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED, so every
 *    `vector_get_data` is a copy): a chunk holding `list(range)` over 50M rows costs a 400 MB copy
 *    and 1–2 s of the event loop before one value is read. A VARCHAR's `getItem` copies and
 *    decodes the whole string.
 * 2. The C API (as `@duckdb/node-bindings`, the package @duckdb/node-api itself wraps) answers the
 *    sizes without those copies: a string's byte length is the first 4 bytes of its 16-byte
 *    `duckdb_string_t`, a list row is a `{offset, length}` pair of uint64, `list_vector_get_size`
 *    is the child's length, and `vector_get_data(v, n)` copies only the first `n` bytes.
 * 3. Result chunks come flat (no constant or dictionary vectors), and the chunk is the caller's
 *    own copy (`duckdb_fetch_chunk`), so shrinking its row count and a list's child size
 *    (`data_chunk_set_size`, `list_vector_set_size`) only changes what a later copy reads.
 * 4. A MAP vector is physically a LIST of STRUCT(key, value) and a UNION a STRUCT whose child 0 is
 *    the UTINYINT tag (DuckDB's physical layout; the C API's list and struct accessors accept
 *    them), so a MAP column read as `DuckDBVector.create(raw, n, LIST(STRUCT(key, value)))` can be
 *    walked entry by entry.
 *
 * 5. node-api's string vectors (VARCHAR, BLOB, BIT, BIGNUM) keep those 16-byte headers as a DataView
 *    in a private `dataView` field and the mask in `validity.itemValid(i)`, and `slice()` re-bases
 *    both, so a string can be measured there before `getItem` copies and decodes it.
 *
 * @duckdb/node-bindings is loaded from where @duckdb/node-api resolves it, so it is always the very
 * module (and native addon) @duckdb/node-api uses, at its exact version.
 */

/** An opaque handle on a DuckDB vector (a node-bindings external). */
export interface RawVector {
  readonly __duckdbVector: unique symbol
}
type RawChunk = DuckDBDataChunk['chunk']

interface Bindings {
  data_chunk_get_vector(chunk: RawChunk, column: number): RawVector
  vector_get_data(vector: RawVector, byteCount: number): Uint8Array
  vector_get_validity(vector: RawVector, byteCount: number): Uint8Array | null
  list_vector_get_child(vector: RawVector): RawVector
  list_vector_get_size(vector: RawVector): number
  list_vector_set_size(vector: RawVector, size: number): void
  struct_vector_get_child(vector: RawVector, index: number): RawVector
  array_vector_get_child(vector: RawVector): RawVector
}

function loadBindings(): Bindings {
  const api = createRequire(import.meta.url).resolve('@duckdb/node-api')
  return createRequire(api)('@duckdb/node-bindings') as Bindings
}

const bindings = loadBindings()

const EMPTY = new Uint8Array(0)

export function rawColumn(chunk: DuckDBDataChunk, column: number): RawVector {
  return bindings.data_chunk_get_vector(chunk.chunk, column)
}

/** A copy of the first `bytes` bytes of the vector's data. */
export function rawData(vector: RawVector, bytes: number): Uint8Array {
  return bytes === 0 ? EMPTY : bindings.vector_get_data(vector, bytes)
}

/** The validity mask of the first `count` items, or null when every item is valid. */
export function rawValidity(vector: RawVector, count: number): Uint8Array | null {
  return count === 0 ? null : bindings.vector_get_validity(vector, Math.ceil(count / 64) * 8)
}

export function isValid(mask: Uint8Array | null, index: number): boolean {
  return mask === null || ((mask[index >> 3] ?? 0) & (1 << (index & 7))) !== 0
}

export const listChild = (vector: RawVector): RawVector => bindings.list_vector_get_child(vector)
export const listSize = (vector: RawVector): number => bindings.list_vector_get_size(vector)
export const setListSize = (vector: RawVector, size: number): void => bindings.list_vector_set_size(vector, size)
export const structChild = (vector: RawVector, index: number): RawVector => bindings.struct_vector_get_child(vector, index)
export const arrayChild = (vector: RawVector): RawVector => bindings.array_vector_get_child(vector)

/** Byte length of string item `index` of `data` (the vector's 16-byte `duckdb_string_t`s). */
export function stringLength(data: DataView, index: number): number {
  return data.getUint32(index * 16, true)
}

/**
 * Byte length of string item `index` of a node-api VARCHAR/BLOB/BIT/BIGNUM vector (or a slice of
 * one), read from the header node-api holds (its private `dataView`, behaviour 5), so a string is
 * measured before `getItem` copies and decodes it. Undefined if a later node-api lays it out
 * differently (the behaviour test then fails; the writer falls back to decoding).
 */
export function stringItemLength(vector: DuckDBVector, index: number): number | undefined {
  const internals = vector as unknown as { readonly dataView?: unknown; readonly validity?: { itemValid?: unknown } }
  const data = internals.dataView
  const validity = internals.validity
  if (!(data instanceof DataView) || typeof validity?.itemValid !== 'function') return undefined
  // A NULL item's header is undefined memory: its length means nothing.
  if (!(validity.itemValid as (i: number) => boolean).call(validity, index)) return 0
  return data.getUint32(index * 16, true)
}

/** A node-api vector over a raw vector, read as `type` (which must match its physical layout). */
export function vectorOf(raw: RawVector, count: number, type: DuckDBType): DuckDBVector {
  return DuckDBVector.create(raw as never, count, type)
}
