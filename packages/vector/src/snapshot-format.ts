import { encodeJson } from '@lakehouse/kit'
import type { HnswParams } from './hnsw-graph.ts'
import { type IndexSpec, isMetric, MAX_DIM } from './index-spec.ts'
import type { IndexState } from './index-state.ts'
import { metadataIssues } from './metadata-filter.ts'
import type { IndexSource, Metadata } from './types.ts'

/**
 * `index.json`, the commit point of an index snapshot. It names the graph and vectors files of
 * its generation with their size and SHA-256, so a reader never hands usearch a file that is
 * not exactly what was written (usearch can crash on a corrupt file instead of throwing).
 *
 *   { "format": "lakehouse-vector/1", "generation": 7,
 *     "spec": {name, dim, metric, model}, "hnsw": {connectivity, expansionAdd, expansionSearch, quantization},
 *     "next_key": 1234, "rows": 1200, "graph_size": 1300,
 *     "files": {"graph": {name, bytes, sha256}, "vectors": {name, bytes, sha256}},
 *     "items": [[id, key, row, metadata], …], "source"?: {dataset, version} }
 *
 * `rows` is the number of float32 rows in the vectors file (little-endian, `dim` floats each);
 * rows not referenced by an item are free. `graph_size` counts the graph's nodes: the items' keys
 * plus dead nodes of deleted or replaced items (usearch `remove` is never used).
 */

export const SNAPSHOT_FORMAT = 'lakehouse-vector/1'
export const SIDECAR_NAME = 'index.json'

export interface FileRef {
  readonly name: string
  readonly bytes: number
  readonly sha256: string
}

export interface SnapshotBody {
  readonly spec: IndexSpec
  readonly hnsw: HnswParams
  readonly nextKey: number
  readonly rows: number
  readonly graphSize: number
  readonly items: readonly (readonly [string, number, number, Metadata])[]
  readonly source?: IndexSource
}

export interface Snapshot extends SnapshotBody {
  readonly generation: number
  readonly files: { readonly graph: FileRef; readonly vectors: FileRef }
}

export function snapshotBody(state: IndexState): SnapshotBody {
  const items: [string, number, number, Metadata][] = []
  for (const item of state.byId.values()) items.push([item.id, item.key, item.row, item.metadata])
  const body = {
    spec: state.spec,
    hnsw: state.params,
    nextKey: state.nextKey,
    rows: state.slab.rowCount,
    graphSize: state.graph.size(),
    items,
  }
  return state.source === undefined ? body : { ...body, source: state.source }
}

export function encodeSnapshot(snapshot: Snapshot): string {
  return encodeJson({
    format: SNAPSHOT_FORMAT,
    generation: snapshot.generation,
    spec: snapshot.spec,
    hnsw: snapshot.hnsw,
    next_key: snapshot.nextKey,
    rows: snapshot.rows,
    graph_size: snapshot.graphSize,
    files: snapshot.files,
    items: snapshot.items,
    ...(snapshot.source === undefined ? {} : { source: snapshot.source }),
  })
}

class SnapshotError extends Error {
  override readonly name = 'SnapshotError'
}

function fail(reason: string): never {
  throw new SnapshotError(`index.json: ${reason}`)
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`${what} is not an object`)
  return value as Record<string, unknown>
}

function int(value: unknown, what: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max)
    fail(`${what} is not an integer in ${min}..${max}`)
  return value as number
}

function str(value: unknown, what: string): string {
  if (typeof value !== 'string') fail(`${what} is not a string`)
  return value
}

function fileRef(value: unknown, what: string): FileRef {
  const r = record(value, what)
  const name = str(r.name, `${what}.name`)
  if (!/^[a-z0-9.-]+$/.test(name)) fail(`${what}.name is not a plain file name`)
  const sha256 = str(r.sha256, `${what}.sha256`)
  if (!/^[0-9a-f]{64}$/.test(sha256)) fail(`${what}.sha256 is not a SHA-256`)
  return { name, bytes: int(r.bytes, `${what}.bytes`, 0), sha256 }
}

function sourceOf(value: unknown): IndexSource {
  const r = record(value, 'source')
  return { dataset: str(r.dataset, 'source.dataset'), version: int(r.version, 'source.version', 1) }
}

/** Parses and checks every invariant a loader relies on; throws an Error whose message says what is wrong. */
export function decodeSnapshot(text: string, dirName: string): Snapshot {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    fail('is not valid JSON')
  }
  const top = record(raw, 'the document')
  if (top.format !== SNAPSHOT_FORMAT) fail(`format is ${JSON.stringify(top.format)}, expected ${SNAPSHOT_FORMAT}`)
  const specRaw = record(top.spec, 'spec')
  if (specRaw.name !== dirName) fail(`spec.name ${JSON.stringify(specRaw.name)} does not match the directory ${dirName}`)
  if (!isMetric(specRaw.metric)) fail('spec.metric is not cos, ip or l2sq')
  const spec: IndexSpec = {
    name: dirName,
    dim: int(specRaw.dim, 'spec.dim', 1, MAX_DIM),
    metric: specRaw.metric,
    model: str(specRaw.model, 'spec.model'),
  }
  const h = record(top.hnsw, 'hnsw')
  if (h.quantization !== 'f32' && h.quantization !== 'f16' && h.quantization !== 'bf16') fail('hnsw.quantization is not f32, f16 or bf16')
  const hnsw: HnswParams = {
    connectivity: int(h.connectivity, 'hnsw.connectivity', 2, 256),
    expansionAdd: int(h.expansionAdd, 'hnsw.expansionAdd', 1),
    expansionSearch: int(h.expansionSearch, 'hnsw.expansionSearch', 1),
    quantization: h.quantization,
  }
  const nextKey = int(top.next_key, 'next_key', 1)
  const rows = int(top.rows, 'rows', 0)
  const files = record(top.files, 'files')
  if (!Array.isArray(top.items)) fail('items is not an array')
  const ids = new Set<string>()
  const keys = new Set<number>()
  const usedRows = new Set<number>()
  const items = top.items.map((entry: unknown, i: number): [string, number, number, Metadata] => {
    if (!Array.isArray(entry) || entry.length !== 4) fail(`items[${i}] is not [id, key, row, metadata]`)
    const id = str(entry[0], `items[${i}] id`)
    const key = int(entry[1], `items[${i}] key`, 1, nextKey - 1)
    const row = int(entry[2], `items[${i}] row`, 0, rows - 1)
    if (ids.has(id) || keys.has(key) || usedRows.has(row)) fail(`items[${i}] repeats an id, key or row`)
    if (metadataIssues(entry[3], '$').length > 0) fail(`items[${i}] metadata is not a flat metadata object`)
    ids.add(id)
    keys.add(key)
    usedRows.add(row)
    return [id, key, row, entry[3] as Metadata]
  })
  return {
    generation: int(top.generation, 'generation', 1),
    spec,
    hnsw,
    nextKey,
    rows,
    graphSize: int(top.graph_size, 'graph_size', items.length, nextKey - 1),
    files: { graph: fileRef(files.graph, 'files.graph'), vectors: fileRef(files.vectors, 'files.vectors') },
    items,
    ...(top.source === undefined ? {} : { source: sourceOf(top.source) }),
  }
}
