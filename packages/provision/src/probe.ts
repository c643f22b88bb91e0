import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { access, open, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { fsyncPath } from '@lakehouse/kit'
import { step, withCleanup } from './failure.ts'

const PROBE_BYTES = Buffer.from('lakehouse writability probe\n')

/**
 * Proves a directory writable the only way that cannot lie: create a file exclusively (`wx`,
 * so a concurrent prober never shares it), write, fsync, close, unlink, fsync the directory.
 * That catches what a permission check cannot: ENOSPC, EDQUOT, a filesystem that goes
 * read-only on error, an immutable flag.
 *
 * Modifies nothing it does not remove: the probe is gone when this returns. A crash in
 * between leaves one `.probe-*` file in the directory, which is scratch space.
 *
 * Durability: the probe's data reaches the disk (fsync) and its removal is made durable
 * (directory fsync), so the probe also proves fsync works on this filesystem.
 */
export async function probeWritable(dir: string, dataDir: string): Promise<void> {
  const probe = join(dir, `.probe-${process.pid}-${randomBytes(6).toString('hex')}`)
  const handle = await step('cannot create the probe file', probe, dataDir, () => open(probe, 'wx', 0o600), { blame: dir })
  // The probe is removed even when writing it failed (ENOSPC leaves an empty file behind).
  await withCleanup(
    () =>
      withCleanup(
        async () => {
          await step('cannot write the probe file', probe, dataDir, () => handle.writeFile(PROBE_BYTES))
          await step('cannot fsync the probe file', probe, dataDir, () => handle.sync())
        },
        () => step('cannot close the probe file', probe, dataDir, () => handle.close()),
      ),
    () => step('cannot remove the probe file', probe, dataDir, () => unlink(probe), { blame: dir }),
  )
  await step('cannot fsync directory', dir, dataDir, () => fsyncPath(dir))
}

/**
 * The cheap check for directories the probe does not write in: access(W_OK|X_OK) asks the
 * kernel, which answers EACCES for mode/owner, EPERM for an immutable inode and EROFS for a
 * read-only mount — without creating anything. It checks the real uid, which is the
 * effective one for everything but setuid binaries.
 */
export async function checkWritable(dir: string, dataDir: string): Promise<void> {
  await step('cannot write in directory', dir, dataDir, () => access(dir, constants.W_OK | constants.X_OK))
}
