import type { ObjectStore } from '@lakehouse/storage'

export interface ListAllOptions {
  /** `limit` of each list call. */
  readonly pageSize: number
  /**
   * Every character that can follow the prefix in a key worth finding. When a page comes back
   * truncated the listing splits into one sub-prefix per character, so it must be complete for
   * the keys the caller cares about; keys using other characters may be missed.
   */
  readonly alphabet: string
  /** Longest key worth finding; bounds the recursion should a store keep saying `truncated`. */
  readonly maxKeyLength: number
}

/**
 * Every key under `prefix`, sorted. `ObjectStore.list` has no continuation token, only
 * `truncated`, so a truncated page is answered by listing narrower prefixes (prefix + each
 * alphabet character) instead, recursively. A page that was not truncated is complete.
 */
export async function listAllKeys(store: ObjectStore, prefix: string, options: ListAllOptions): Promise<string[]> {
  const found = new Set<string>()
  const walk = async (p: string): Promise<void> => {
    const page = await store.list(p, options.pageSize)
    for (const item of page.items) found.add(item.key)
    if (!page.truncated || p.length >= options.maxKeyLength) return
    // Sequential on purpose: a catalog large enough to truncate should not fan out dozens of
    // list calls at once against the store it is booting from.
    for (const c of options.alphabet) await walk(p + c)
  }
  await walk(prefix)
  return [...found].sort()
}
