import { chmod, chown, mkdir, readFile, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { Problem } from '@lakehouse/kit'
import { describe, expect, it } from 'vitest'
import { DATA_DIR_SUBDIRS, PROVISION_EXIT_CODE, provision } from '../src/index.ts'
import { BUN, CHILD, chattr, chattrUnavailable, NOBODY, runChild, setprivUnavailable, useTempDirs } from './helpers.ts'

// Tests run as root, and root ignores mode bits: a 0500 directory is writable to it. So
// "unwritable" is produced for real, by running the provisioner as another uid (setpriv) or
// by the immutable flag (chattr +i), which even root cannot write through.
const tempDir = useTempDirs()
const noSetpriv = setprivUnavailable()
const noChattr = chattrUnavailable()
if (noSetpriv !== undefined) console.warn(`skipping setpriv tests: ${noSetpriv}`)
if (noChattr !== undefined) console.warn(`skipping chattr tests: ${noChattr}`)

/** A root-owned directory uid 65534 can enter but not write, under a tmpdir it can traverse. */
async function rootOwnedParent(): Promise<string> {
  const base = await tempDir()
  await chmod(base, 0o755) // mkdtemp makes 0700, which uid 65534 could not even traverse
  return base
}

async function assertReadableByOthers(path: string): Promise<void> {
  // The child runs as uid 65534 straight from the repo; if the checkout is not world-readable
  // every child would fail for that reason instead, so say so plainly.
  const need = (await stat(path)).isDirectory() ? 0o001 : 0o004
  expect((await stat(path)).mode & need, `${path} must be readable by uid ${NOBODY} to run the fixture`).toBe(need)
  for (let p = dirname(path); p !== dirname(p); p = dirname(p)) {
    expect((await stat(p)).mode & 0o001, `${p} must be o+x for uid ${NOBODY} to reach the fixture`).toBe(0o001)
  }
}

async function rejection(promise: Promise<unknown>): Promise<Problem> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(Problem)
  return err as Problem
}

describe.skipIf(noSetpriv !== undefined)('provision as another user (setpriv --reuid=65534)', () => {
  it('the fixture and bun are readable by uid 65534', async () => {
    await assertReadableByOthers(CHILD)
    await assertReadableByOthers(BUN)
  })

  it('succeeds into a directory that user owns (so the failures below are about permissions)', async () => {
    const dir = join(await rootOwnedParent(), 'data')
    await mkdir(dir, { mode: 0o700 })
    await chown(dir, NOBODY, NOBODY)
    const run = await runChild([dir], { uid: NOBODY })
    expect(run.result.ok, run.stderr).toBe(true)
    expect((await stat(join(dir, 'secret.key'))).uid).toBe(NOBODY)
  })

  it('fails with PROVISION_UNWRITABLE, exit 2 and the path when the data directory cannot be created', async () => {
    const parent = await rootOwnedParent()
    const dir = join(parent, 'data')
    const run = await runChild([dir], { uid: NOBODY })
    expect(run.exitCode).toBe(PROVISION_EXIT_CODE)
    expect(run.result).toMatchObject({ ok: false, code: 'PROVISION_UNWRITABLE', extensions: { path: dir, errno: 'EACCES' } })
    if (run.result.ok) return
    expect(run.result.detail).toContain(`cannot create directory ${dir}: EACCES`)
    // Creating the directory failed on its root-owned parent: the fix creates it for the user, not chown -R the parent.
    expect(run.result.extensions.fix).toContain(`install -d -m 0700 -o $(id -u) -g $(id -g) ${dir}`)
    expect(run.stderr).toContain(`path:  ${dir}`)
    expect(run.stderr).toContain('fix:')
    expect(run.stderr).toContain('--data-dir / LAKEHOUSE_DATA_DIR')
  })

  it('fails with PROVISION_UNWRITABLE when a root-owned tree already exists', async () => {
    const dir = join(await rootOwnedParent(), 'data')
    await provision(dir) // as root: the whole tree and key now belong to root
    await chmod(dir, 0o755)
    for (const sub of DATA_DIR_SUBDIRS) await chmod(join(dir, sub), 0o755)
    const run = await runChild([dir], { uid: NOBODY })
    expect(run.exitCode).toBe(PROVISION_EXIT_CODE)
    expect(run.result).toMatchObject({ ok: false, code: 'PROVISION_UNWRITABLE', extensions: { path: dir, errno: 'EACCES' } })
    if (run.result.ok) return
    expect(run.result.extensions.fix).toContain(`chown -R $(id -u):$(id -g) ${dir}`)
  })

  it('fails loudly when the key belongs to another user and cannot be read', async () => {
    const dir = join(await rootOwnedParent(), 'data')
    await provision(dir)
    for (const sub of ['.', ...DATA_DIR_SUBDIRS]) await chown(join(dir, sub), NOBODY, NOBODY)
    const key = join(dir, 'secret.key') // still root:root 0600
    const run = await runChild([dir], { uid: NOBODY })
    expect(run.exitCode).toBe(PROVISION_EXIT_CODE)
    expect(run.result).toMatchObject({ ok: false, code: 'PROVISION_UNWRITABLE', extensions: { path: key, errno: 'EACCES' } })
  })
})

describe.skipIf(noChattr !== undefined)('provision into an immutable directory (chattr +i)', () => {
  it('fails with PROVISION_UNWRITABLE naming the directory, EPERM and chattr -i as the fix', async () => {
    const dir = await tempDir()
    chattr('+i', dir)
    try {
      const problem = await rejection(provision(dir))
      expect(problem.code).toBe('PROVISION_UNWRITABLE')
      expect(problem.detail).toContain(`cannot create directory ${join(dir, 'journal')}: EPERM`)
      expect(problem.extensions).toMatchObject({ path: join(dir, 'journal'), errno: 'EPERM' })
      expect(problem.extensions?.fix).toContain(`chattr -i ${dir}`)
      expect((problem.cause as { code?: string }).code).toBe('EPERM')
    } finally {
      chattr('-i', dir)
    }
  })

  it('fails when the probe directory is immutable, though every directory exists', async () => {
    const dir = await tempDir()
    await provision(dir)
    chattr('+i', join(dir, 'tmp'))
    try {
      const problem = await rejection(provision(dir))
      expect(problem.code).toBe('PROVISION_UNWRITABLE')
      expect(problem.detail).toContain(`cannot create the probe file ${join(dir, 'tmp')}/.probe-`)
    } finally {
      chattr('-i', join(dir, 'tmp'))
    }
  })

  it('fails when another directory of the tree is immutable (the seed: it exists, nothing can be written)', async () => {
    const dir = await tempDir()
    await provision(dir)
    chattr('+i', join(dir, 'journal'))
    try {
      const problem = await rejection(provision(dir))
      expect(problem.code).toBe('PROVISION_UNWRITABLE')
      expect(problem.extensions).toMatchObject({ path: join(dir, 'journal'), errno: 'EPERM' })
    } finally {
      chattr('-i', join(dir, 'journal'))
    }
  })

  it('fails with PROVISION_KEY_PERMISSIVE when a loose key cannot be repaired', async () => {
    const dir = await tempDir()
    await provision(dir)
    const key = join(dir, 'secret.key')
    await chmod(key, 0o644)
    chattr('+i', key)
    try {
      const problem = await rejection(provision(dir))
      expect(problem.code).toBe('PROVISION_KEY_PERMISSIVE')
      expect(problem.extensions).toMatchObject({ path: key, errno: 'EPERM' })
      expect((await stat(key)).mode & 0o777).toBe(0o644)
    } finally {
      chattr('-i', key)
    }
  })

  it('fails when the key cannot be created in an immutable data directory whose subdirectories exist', async () => {
    const dir = await tempDir()
    for (const sub of DATA_DIR_SUBDIRS) await mkdir(join(dir, sub))
    chattr('+i', dir)
    try {
      const problem = await rejection(provision(dir))
      expect(problem.code).toBe('PROVISION_UNWRITABLE')
      expect(problem.extensions).toMatchObject({ path: dir, errno: 'EPERM' })
      await expect(readFile(join(dir, 'secret.key'))).rejects.toMatchObject({ code: 'ENOENT' })
    } finally {
      chattr('-i', dir)
    }
  })
})
