import { readdir, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { isAtomicTempName, writeFileAtomic } from '@lakehouse/kit'
import { readAndHash, syncAndHash, writeChunks } from './durable-fs.ts'
import { loadGraph } from './hnsw-graph.ts'
import { createIndexState, type IndexState, rebuildGraph } from './index-state.ts'
import { decodeSnapshot, encodeSnapshot, type FileRef, SIDECAR_NAME, type Snapshot, snapshotBody } from './snapshot-format.ts'
import type { Metadata, MetadataValue } from './types.ts'

/**
 * Writing and reading one index directory `<dir>/<name>/`:
 *   index.json              the commit point (snapshot-format.ts)
 *   index-<gen>.usearch     the HNSW graph, written by usearch `save`
 *   vectors-<gen>.f32       the float32 rows
 * Each save writes a new generation's files, fsyncs them, then atomically replaces index.json
 * (temp + fsync + rename + directory fsync) and deletes the previous generation. A crash at any
 * point leaves the previous index.json and the files it names intact.
 */

export interface SavedFiles {
  readonly generation: number
  readonly graph: FileRef
  readonly vectors: FileRef
}

/**
 * Starts a snapshot of `state`. The returned promise's synchronous prefix (usearch `save`, the
 * sidecar body, pinning the rows) runs before the function returns, so the caller must hold the
 * index's mutation lock across the call and may release it as soon as it returns. The
 * directory must exist.
 */
export function writeSnapshot(dir: string, state: IndexState, generation: number, previous: SavedFiles | undefined): Promise<SavedFiles> {
  const graphName = `index-${generation}.usearch`
  const vectorsName = `vectors-${generation}.f32`
  // Synchronous on purpose: graph, rows and body must describe the same instant.
  let syncError: unknown
  let release = () => {}
  let chunks: Uint8Array[] = []
  const body = snapshotBody(state)
  try {
    state.graph.save(join(dir, graphName))
    release = state.slab.pin()
    chunks = state.slab.chunks()
  } catch (err) {
    syncError = err
  }
  return (async () => {
    if (syncError !== undefined) throw syncError
    let vectors: { bytes: number; sha256: string }
    try {
      vectors = await writeChunks(join(dir, vectorsName), chunks)
    } finally {
      release()
    }
    const graph = await syncAndHash(join(dir, graphName))
    const saved: SavedFiles = { generation, graph: { name: graphName, ...graph }, vectors: { name: vectorsName, ...vectors } }
    const snapshot: Snapshot = { ...body, generation, files: { graph: saved.graph, vectors: saved.vectors } }
    await writeFileAtomic(join(dir, SIDECAR_NAME), encodeSnapshot(snapshot))
    if (previous !== undefined) {
      // Unreferenced now; a crash before these unlinks leaves files the next start sweeps.
      await unlink(join(dir, previous.graph.name)).catch(() => undefined)
      await unlink(join(dir, previous.vectors.name)).catch(() => undefined)
    }
    return saved
  })()
}

/** Removes the files of a generation whose save failed before its index.json was written. */
export async function discardGeneration(dir: string, generation: number): Promise<void> {
  await unlink(join(dir, `index-${generation}.usearch`)).catch(() => undefined)
  await unlink(join(dir, `vectors-${generation}.f32`)).catch(() => undefined)
}

export interface LoadedIndex {
  readonly state: IndexState
  readonly saved: SavedFiles
  /** Why the graph was rebuilt from the rows instead of loaded, when it was. */
  readonly rebuilt: string | undefined
}

/** Reads and verifies one index directory; throws (with a message fit for a log) when it cannot be used. */
export async function loadSnapshot(dir: string, name: string, threads: number): Promise<LoadedIndex> {
  const snap = decodeSnapshot(await readFile(join(dir, SIDECAR_NAME), 'utf8'), name)
  const state = createIndexState(snap.spec, snap.hnsw)
  state.nextKey = snap.nextKey
  state.source = snap.source
  const usedRows = new Set<number>()
  for (const [id, key, row, metadata] of snap.items) {
    const item = { id, key, row, metadata: freezeMetadata(metadata) }
    state.byId.set(id, item)
    state.byKey.set(key, item)
    usedRows.add(row)
  }
  const expectedBytes = snap.rows * snap.spec.dim * 4
  if (snap.files.vectors.bytes !== expectedBytes) throw new Error(`index.json: vectors file should hold ${expectedBytes} bytes`)
  state.slab.restore(snap.rows, usedRows)
  const vectors = await readAndHash(join(dir, snap.files.vectors.name), state.slab.chunks())
  if (vectors.bytes !== expectedBytes || vectors.sha256 !== snap.files.vectors.sha256) {
    throw new Error(`${snap.files.vectors.name} does not match its size or checksum in index.json`)
  }
  const graphPath = join(dir, snap.files.graph.name)
  let rebuilt: string | undefined
  const graph = await readAndHash(graphPath).catch((err: unknown) => ({ bytes: -1, sha256: String(err) }))
  if (graph.bytes !== snap.files.graph.bytes || graph.sha256 !== snap.files.graph.sha256) {
    rebuilt = `${snap.files.graph.name} does not match its size or checksum in index.json`
  } else {
    try {
      state.graph = loadGraph(graphPath, snap.spec.dim, snap.spec.metric, snap.hnsw, snap.graphSize)
    } catch (err) {
      rebuilt = `${snap.files.graph.name} did not load: ${err instanceof Error ? err.message : String(err)}`
    }
  }
  if (rebuilt !== undefined) rebuildGraph(state, threads)
  await sweep(dir, new Set([SIDECAR_NAME, snap.files.graph.name, snap.files.vectors.name]))
  return { state, saved: { generation: snap.generation, graph: snap.files.graph, vectors: snap.files.vectors }, rebuilt }
}

/** Deletes what a crashed save left behind: other generations and temp files. */
async function sweep(dir: string, keep: ReadonlySet<string>): Promise<void> {
  for (const entry of await readdir(dir)) {
    if (keep.has(entry)) continue
    // `index.json.tmp-<hex>` is the temp name saves used before kit's writeFileAtomic.
    if (/^(index-\d+\.usearch|vectors-\d+\.f32|index\.json\.tmp-[0-9a-f]+)$/.test(entry) || isAtomicTempName(entry, SIDECAR_NAME))
      await unlink(join(dir, entry)).catch(() => undefined)
  }
}

export function freezeMetadata(metadata: Metadata): Metadata {
  const copy: Record<string, MetadataValue> = {}
  for (const [k, v] of Object.entries(metadata)) copy[k] = Array.isArray(v) ? Object.freeze([...v]) : v
  return Object.freeze(copy)
}
