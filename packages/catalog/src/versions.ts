import type { DatasetManifest, DatasetVersion, IndexSource, StaleIndex, VersionSummary } from './types.ts'

/**
 * A dataset's bounded history (issue 13). Every ingest of other content adds a version with its
 * own object key; the manifest names the live one. The history is kept in the same stored object
 * as the manifest, so a new version and the switch to it are one atomic write. Pure functions
 * here; catalog.ts does the locking, persisting and deleting.
 */

/** The registry's entry for one dataset: the live manifest and the kept versions, oldest first. */
export interface DatasetRecord {
  readonly manifest: DatasetManifest
  readonly versions: readonly DatasetVersion[]
}

// Path segment of a version id: a positive integer as written by JSON, no sign, no leading zeros.
export const VERSION_ID_PATTERN = /^[1-9][0-9]{0,15}$/

/** A version id from a path segment; undefined for anything that cannot be one. */
export function parseVersionId(text: string): number | undefined {
  if (!VERSION_ID_PATTERN.test(text)) return undefined
  const id = Number(text)
  return Number.isSafeInteger(id) ? id : undefined
}

export function summaryOf(v: DatasetManifest | DatasetVersion): VersionSummary {
  return { version: v.version, content_hash: v.content_hash, fingerprint: v.fingerprint, row_count: v.row_count }
}

/**
 * One more than the highest kept id. The newest version is never dropped when it is added (only
 * older ones are), so ids only grow while a dataset exists.
 */
export function nextVersionId(versions: readonly DatasetVersion[]): number {
  return versions.reduce((max, v) => Math.max(max, v.version), 0) + 1
}

export interface Pruned {
  /** Oldest first. */
  readonly kept: DatasetVersion[]
  /** Object keys no kept version names any more: delete them after the history is persisted. */
  readonly orphaned: string[]
}

/**
 * Appends `added` (the new live version) and drops the oldest versions that are not live until at
 * most `max` remain. Content-addressed keys can be shared (ingest A, then B, then A again), so an
 * object is only orphaned when no kept version names it.
 */
export function appendVersion(versions: readonly DatasetVersion[], added: DatasetVersion, max: number): Pruned {
  const all = [...versions, added]
  const excess = Math.max(0, all.length - max)
  const dropped = all.filter((v) => v.version !== added.version).slice(0, excess)
  const droppedIds = new Set(dropped.map((v) => v.version))
  const kept = all.filter((v) => !droppedIds.has(v.version))
  const keptKeys = new Set(kept.map((v) => v.object_key))
  const orphaned = [...new Set(dropped.map((v) => v.object_key))].filter((k) => !keptKeys.has(k))
  return { kept, orphaned }
}

/**
 * Indexes built from `name` whose source version is not live: stale. A source version whose
 * content is the live content (kept in the history with the same hash) is not stale; a source
 * version that left the history is judged by id alone. Sorted by index name.
 */
export function staleIndexesOf(record: DatasetRecord, sources: readonly IndexSource[]): StaleIndex[] {
  const live = record.manifest
  const byId = new Map(record.versions.map((v) => [v.version, v]))
  const stale: StaleIndex[] = []
  for (const source of sources) {
    if (source.dataset !== live.name || source.version === live.version) continue
    const built = byId.get(source.version)
    if (built !== undefined && built.content_hash !== null && built.content_hash === live.content_hash) continue
    stale.push({ index: source.index, version: source.version })
  }
  return stale.sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0))
}
