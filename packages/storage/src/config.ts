import { intBetween, resolveWith } from '@lakehouse/kit'

export interface StorageConfig {
  /** Largest object a PUT may store, in bytes; checked from Content-Length and while streaming. */
  readonly maxObjectBytes: number
  /** PUTs streamed at once; one more is refused with 503 STORAGE_BUSY, never queued. */
  readonly putSlots: number
  /** Largest `limit` a list request may ask for. */
  readonly listCap: number
  /** `limit` when a list request gives none (clamped to `listCap`). */
  readonly listDefaultLimit: number
  /** `Retry-After` seconds on 503 STORAGE_BUSY. */
  readonly busyRetryAfterS: number
}

export const storageDefaults: StorageConfig = Object.freeze({
  maxObjectBytes: 256 * 1024 * 1024,
  putSlots: 4,
  listCap: 10_000,
  listDefaultLimit: 1000,
  busyRetryAfterS: 5,
})

export function resolveStorageConfig(input?: Partial<StorageConfig>): Readonly<StorageConfig> {
  const resolved = resolveWith(
    storageDefaults,
    input,
    {
      // Up to 5 TiB, the largest object S3 accepts.
      maxObjectBytes: intBetween(0, 5 * 1024 ** 4),
      putSlots: intBetween(1, 1024),
      listCap: intBetween(1, 100_000),
      listDefaultLimit: intBetween(1, 100_000),
      busyRetryAfterS: intBetween(1, 3600),
    },
    'storage.',
  )
  if (resolved.listDefaultLimit <= resolved.listCap) return resolved
  // Lowering the cap alone should not be a boot error, so the default follows it down.
  return Object.freeze({ ...resolved, listDefaultLimit: resolved.listCap })
}
