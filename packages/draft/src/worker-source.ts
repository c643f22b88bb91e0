import type { WorkerProfile, WorkerSource } from './types.ts'
import { toWorkerProfile, type WorkerRecord } from './worker-profile.ts'

/**
 * Workers held in memory, keyed by `worker_id`: for tests and for callers that already have
 * the rows (e.g. `generateWorkerRows` from @lakehouse/corpus). Later rows with the same id win.
 */
export function createInMemoryWorkerSource(rows: Iterable<WorkerRecord>): WorkerSource {
  const byId = new Map<string, WorkerProfile>()
  for (const row of rows) {
    const profile = toWorkerProfile(row)
    byId.set(profile.worker_id, profile)
  }
  return {
    async get(workerId) {
      return byId.get(workerId)
    },
  }
}
