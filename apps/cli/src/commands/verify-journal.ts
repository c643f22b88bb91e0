import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type FileLock, listStores, type StoreVerification, verifyStore } from '@lakehouse/journal'
import { dataLayout } from '@lakehouse/provision'

/**
 * `lakehouse doctor --verify-journal`: runs the journal's `verifyStore` (copy, replay, rebuild,
 * diff, checkpoint check; the live store is only read) on every store under
 * `<data dir>/journal/*` and reports.
 */

/** A store that could not be copied, opened or rebuilt at all. */
export interface StoreFailure {
  readonly store: string
  readonly ok: false
  readonly error: string
}

function describe(v: StoreVerification | StoreFailure): string {
  if ('error' in v) return `  FAIL ${v.store}: ${v.error}`
  const checkpoint =
    v.checkpoint_seq === null ? 'none' : `${v.checkpoint_seq} ${v.checkpoint_ok ? '(verified)' : `(FAIL: ${v.checkpoint_problem})`}`
  const diffText = v.differences === 0 ? 'none' : `${v.differences} differences: ${v.first_differences.join('; ')}`
  return (
    `  ${v.ok ? 'ok  ' : 'FAIL'} ${v.store}: records ${v.records}, last seq ${v.last_seq}, segments ${v.segments}, archived ${v.archived}, ` +
    `checkpoint ${checkpoint}, torn ${v.torn}, corrupt ${v.corrupt}, diff: ${diffText}`
  )
}

/** Runs the check over every store of the data directory; exit 0 when none is corrupt or differs, 1 otherwise. */
export async function verifyJournals(dataDir: string, lock: FileLock, json: boolean): Promise<number> {
  const root = dataLayout(dataDir).journals
  const stores = await listStores(root)
  const results: (StoreVerification | StoreFailure)[] = []
  for (const store of stores) {
    const scratch = await mkdtemp(join(tmpdir(), 'lakehouse-verify-journal-'))
    try {
      results.push(await verifyStore(store, scratch, lock))
    } catch (err) {
      const code = (err as { code?: unknown }).code
      results.push({
        store,
        ok: false,
        error: `${typeof code === 'string' ? `${code} ` : ''}${err instanceof Error ? err.message : String(err)}`,
      })
    } finally {
      await rm(scratch, { recursive: true, force: true })
    }
  }
  const ok = results.every((r) => r.ok)
  if (json) {
    process.stdout.write(`${JSON.stringify({ data_dir: dataDir, ok, stores: results }, null, 2)}\n`)
  } else {
    process.stdout.write(`journal stores under ${root}: ${stores.length}\n`)
    for (const r of results) process.stdout.write(`${describe(r)}\n`)
    process.stdout.write(
      ok ? 'journal check passed (torn tails, if any, are expected after a crash)\n' : 'journal check FAILED: corruption or differences\n',
    )
  }
  return ok ? 0 : 1
}
