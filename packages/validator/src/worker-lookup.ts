/**
 * Which candidate worker ids exist. Batched (all ids of a request in one call) so the
 * DuckDB-backed implementation can answer with a single `WHERE worker_id IN (…)` query.
 */
export interface WorkerLookup {
  /** The subset of `ids` that name existing workers. */
  existing(ids: readonly string[]): Promise<ReadonlySet<string>>
}

export function createInMemoryWorkerLookup(ids: Iterable<string>): WorkerLookup {
  const known = new Set(ids)
  return {
    async existing(query) {
      const found = new Set<string>()
      for (const id of query) if (known.has(id)) found.add(id)
      return found
    },
  }
}
