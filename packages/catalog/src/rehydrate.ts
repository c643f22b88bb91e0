import type { Logger } from '@lakehouse/kit'
import { readBounded } from '@lakehouse/kit'
import type { ObjectStore } from '@lakehouse/storage'
import { catalogErrors } from './errors.ts'
import { listAllKeys } from './key-lister.ts'
import { CATALOG_PREFIX, decodeManifest, nameFromKey } from './manifest-codec.ts'
import type { InputLimits } from './register-input.ts'
import type { DatasetRecord } from './versions.ts'

export interface RehydrateOptions extends InputLimits {
  readonly listPageSize: number
  readonly concurrency: number
  readonly maxManifestBytes: number
}

export interface RehydrateResult {
  /** Every usable dataset (live manifest and kept versions), sorted by name. */
  readonly records: DatasetRecord[]
  /** Keys under the prefix that held no usable manifest (corrupt, unreadable, vanished or misnamed). */
  readonly skipped: number
}

// Characters of `<name>.json` for every valid name: the lister splits truncated pages on these.
const MANIFEST_KEY_ALPHABET = '._0123456789abcdefghijklmnopqrstuvwxyz'
const MAX_MANIFEST_KEY = CATALOG_PREFIX.length + 63 + '.json'.length

/** Reads one manifest; undefined when the object vanished between list and get. */
export async function loadManifest(
  store: ObjectStore,
  key: string,
  name: string,
  options: RehydrateOptions,
): Promise<DatasetRecord | undefined> {
  const object = await store.get(key)
  if (object === undefined) return undefined
  return decodeManifest(await readBounded(object.body, options.maxManifestBytes), name, options)
}

/**
 * Rebuilds the registry from storage. Listing must succeed (a partial listing would let a
 * drifted schema register over a manifest we failed to see), so a list failure rejects with
 * CATALOG_REHYDRATE_FAILED. A single manifest that is corrupt, unreadable or misplaced is
 * skipped, logged and counted; it never blocks the others.
 */
export async function rehydrate(store: ObjectStore, options: RehydrateOptions, logger: Logger): Promise<RehydrateResult> {
  let keys: string[]
  try {
    keys = await listAllKeys(store, CATALOG_PREFIX, {
      pageSize: options.listPageSize,
      alphabet: MANIFEST_KEY_ALPHABET,
      maxKeyLength: MAX_MANIFEST_KEY,
    })
  } catch (cause) {
    throw catalogErrors.problem('CATALOG_REHYDRATE_FAILED', { detail: `listing ${CATALOG_PREFIX} in storage failed`, cause })
  }
  const records: DatasetRecord[] = []
  let skipped = 0
  const skip = (key: string, reason: string, err?: unknown) => {
    skipped++
    logger.warn('catalog manifest skipped', { key, reason, ...(err === undefined ? {} : { err }) })
  }
  let next = 0
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++] as string
      const name = nameFromKey(key)
      if (name === undefined) {
        skip(key, 'key is not _system/catalog/<valid name>.json')
        continue
      }
      try {
        const record = await loadManifest(store, key, name, options)
        if (record === undefined) skip(key, 'object vanished between list and get')
        else records.push(record)
      } catch (err) {
        skip(key, err instanceof Error ? err.message : 'unreadable', err)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(options.concurrency, keys.length) }, worker))
  records.sort((a, b) => (a.manifest.name < b.manifest.name ? -1 : a.manifest.name > b.manifest.name ? 1 : 0))
  return { records, skipped }
}
