import { join, resolve } from 'node:path'
import { ensureDirectory, reportPath } from './ensure-dir.ts'
import { DATA_DIR_SUBDIRS, DIR_MODE, PROBE_SUBDIR, SECRET_KEY_FILE } from './layout.ts'
import { checkWritable, probeWritable } from './probe.ts'
import { ensureSecretKey, type KeyPolicy, type KeyReport } from './secret-key.ts'

export interface ProvisionOptions {
  /** An existing key whose mode is not 0600: `repair` (default) chmods it, `refuse` fails with PROVISION_KEY_PERMISSIVE. */
  readonly keyPolicy?: KeyPolicy
}

export interface ProvisionReport {
  /** Absolute. */
  readonly dir: string
  /**
   * What this run created, in creation order: paths inside the data directory relative to it
   * ('.' for the directory itself, 'journal', 'secret.key'), missing parents above it absolute.
   * Empty on a re-run.
   */
  readonly created: readonly string[]
  readonly writable: true
  readonly key: KeyReport
}

/**
 * Idempotently provisions a data directory: creates the tree (new directories 0700), proves
 * it writable, and creates or checks the secret key. Safe to run from several processes at
 * once: they all succeed and all end up with the same key. Every failure throws a
 * provisioning Problem naming the path, the errno and the fix; nothing is swallowed.
 *
 * Durability: on return every directory and file this run created is on disk (file fsync,
 * then parent directory fsync), and so is any key mode repair.
 */
export async function provision(dir: string, options: ProvisionOptions = {}): Promise<ProvisionReport> {
  const root = resolve(dir)
  const created: string[] = []
  for (const path of await ensureDirectory(root, DIR_MODE, root)) created.push(reportPath(root, path))
  for (const sub of DATA_DIR_SUBDIRS) {
    for (const path of await ensureDirectory(join(root, sub), DIR_MODE, root)) created.push(reportPath(root, path))
  }
  // A directory can exist and still refuse writes (the seed's state directory did): the
  // kernel is asked about each one, and scratch space gets a real write+fsync.
  for (const sub of ['.', ...DATA_DIR_SUBDIRS.filter((s) => s !== PROBE_SUBDIR)]) await checkWritable(join(root, sub), root)
  await probeWritable(join(root, PROBE_SUBDIR), root)
  const key = await ensureSecretKey(root, options.keyPolicy ?? 'repair')
  if (key.created) created.push(SECRET_KEY_FILE)
  return Object.freeze({ dir: root, created: Object.freeze(created), writable: true, key: Object.freeze(key) })
}
