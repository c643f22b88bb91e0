import { spawnSync } from 'node:child_process'
import { chmod, chown, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DATA_DIR_SUBDIRS, type DoctorReport, inspectDataDir, provision } from '../src/index.ts'
import { chattr, chattrUnavailable, NOBODY, useTempDirs } from './helpers.ts'

const tempDir = useTempDirs()
const noChattr = chattrUnavailable()
if (noChattr !== undefined) console.warn(`skipping chattr doctor test: ${noChattr}`)

const ALL = ['dir', ...DATA_DIR_SUBDIRS.map((d) => `subdir:${d}`), 'writable', 'key:exists', 'key:mode', 'key:format', 'key:owner']

function check(report: DoctorReport, id: string) {
  const found = report.checks.find((c) => c.check === id)
  if (found === undefined) throw new Error(`no check ${id} in ${JSON.stringify(report.checks)}`)
  return found
}

async function healthy(): Promise<string> {
  const dir = await tempDir()
  await provision(dir)
  return dir
}

/**
 * Names, modes, sizes and mtimes of everything under dir: what "modifies nothing" is checked
 * against. tmp's own mtime is left out: the probe's create+remove in it is the documented exception.
 */
async function snapshot(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true })
  const rows = await Promise.all(
    entries.map(async (e) => {
      const st = await stat(join(dir, e))
      return `${e} ${st.mode.toString(8)} ${st.size} ${e === 'tmp' ? '' : st.mtimeMs}`
    }),
  )
  return rows.sort()
}

describe('inspectDataDir', () => {
  it('passes every check on a freshly provisioned directory', async () => {
    const dir = await healthy()
    const report = await inspectDataDir(dir)
    expect(report.ok).toBe(true)
    expect(report.dir).toBe(dir)
    expect(report.checks.map((c) => c.check)).toEqual(ALL)
    for (const c of report.checks) expect(c, c.detail).toMatchObject({ ok: true })
  })

  it('modifies nothing: the probe is removed, keys and modes are left as found', async () => {
    const dir = await healthy()
    await chmod(join(dir, 'secret.key'), 0o644)
    const before = await snapshot(dir)
    const report = await inspectDataDir(dir)
    expect(check(report, 'key:mode').ok).toBe(false)
    expect(await snapshot(dir)).toEqual(before)
    expect(await readdir(join(dir, 'tmp'))).toEqual([])
  })

  it('reports a missing directory with a provision fix and creates nothing', async () => {
    const dir = join(await tempDir(), 'never')
    const report = await inspectDataDir(dir)
    expect(report.ok).toBe(false)
    expect(check(report, 'dir')).toMatchObject({
      ok: false,
      detail: `${dir} does not exist`,
      fix: expect.stringContaining('lakehouse provision'),
    })
    expect(check(report, 'writable').detail).toMatch(/^not checked/)
    expect(check(report, 'key:exists').detail).toMatch(/^not checked/)
    expect(report.checks.map((c) => c.check)).toEqual(ALL)
    await expect(stat(dir)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('reports a data path that is a file', async () => {
    const dir = join(await tempDir(), 'file')
    await writeFile(dir, '')
    expect(check(await inspectDataDir(dir), 'dir')).toMatchObject({ ok: false, detail: `${dir} exists but is not a directory` })
  })

  it('reports a missing subdirectory and skips the probe when tmp is missing', async () => {
    const dir = await healthy()
    await rm(join(dir, 'tmp'), { recursive: true })
    const report = await inspectDataDir(dir)
    expect(check(report, 'subdir:tmp')).toMatchObject({ ok: false })
    expect(check(report, 'subdir:journal')).toMatchObject({ ok: true })
    expect(check(report, 'writable')).toMatchObject({ ok: false, detail: expect.stringMatching(/^not checked/) })
  })

  it('reports a missing key', async () => {
    const dir = await healthy()
    await rm(join(dir, 'secret.key'))
    const report = await inspectDataDir(dir)
    expect(report.ok).toBe(false)
    expect(check(report, 'key:exists')).toMatchObject({ ok: false, fix: expect.stringContaining('lakehouse provision') })
    expect(check(report, 'writable').ok).toBe(true)
    expect(check(report, 'key:mode').detail).toMatch(/^not checked/)
  })

  it('reports a loose key mode without repairing it', async () => {
    const dir = await healthy()
    const key = join(dir, 'secret.key')
    await chmod(key, 0o640)
    const report = await inspectDataDir(dir)
    expect(check(report, 'key:mode')).toMatchObject({
      ok: false,
      detail: 'mode 0640, expected 0600',
      fix: expect.stringContaining(`chmod 600 ${key}`),
    })
    expect(check(report, 'key:format').ok).toBe(true)
    expect((await stat(key)).mode & 0o777).toBe(0o640)
  })

  it('reports an invalid key format', async () => {
    const dir = await healthy()
    await writeFile(join(dir, 'secret.key'), 'nope\n')
    const report = await inspectDataDir(dir)
    expect(check(report, 'key:format')).toMatchObject({ ok: false })
    expect(check(report, 'key:format').detail).not.toContain('nope')
  })

  it('reports a symlinked key as not a regular file', async () => {
    const dir = await healthy()
    const target = join(await tempDir(), 'k')
    await writeFile(target, `${'d'.repeat(64)}\n`, { mode: 0o600 })
    await rm(join(dir, 'secret.key'))
    await symlink(target, join(dir, 'secret.key'))
    expect(check(await inspectDataDir(dir), 'key:exists')).toMatchObject({ ok: false, detail: expect.stringContaining('symbolic link') })
  })

  it('reports a key owned by another uid', async () => {
    const dir = await healthy()
    const uid = process.getuid?.() ?? 0
    expect(check(await inspectDataDir(dir, { uid: uid + 1 }), 'key:owner')).toMatchObject({
      ok: false,
      fix: expect.stringContaining('chown'),
    })
    if (uid === 0) {
      await chown(join(dir, 'secret.key'), NOBODY, NOBODY)
      expect(check(await inspectDataDir(dir), 'key:owner')).toMatchObject({
        ok: false,
        detail: `owned by uid ${NOBODY}, but this process runs as uid 0`,
      })
    }
  })

  it.skipIf(noChattr !== undefined)('reports an unwritable tree through the probe with errno and fix', async () => {
    const dir = await healthy()
    chattr('+i', join(dir, 'tmp'))
    try {
      const report = await inspectDataDir(dir)
      expect(report.ok).toBe(false)
      const writable = check(report, 'writable')
      expect(writable).toMatchObject({ ok: false, fix: expect.stringContaining(`chattr -i ${join(dir, 'tmp')}`) })
      expect(writable.detail).toContain('EPERM')
      expect(check(report, 'key:exists').ok).toBe(true)
    } finally {
      chattr('-i', join(dir, 'tmp'))
    }
  })

  it('does not hang on a FIFO at the key path', async () => {
    const dir = await healthy()
    await rm(join(dir, 'secret.key'))
    spawnSync('mkfifo', [join(dir, 'secret.key')])
    expect(check(await inspectDataDir(dir), 'key:exists')).toMatchObject({ ok: false, detail: expect.stringContaining('FIFO') })
    expect(await readFile(join(dir, 'journal'), 'utf8').catch((e: { code: string }) => e.code)).toBe('EISDIR')
  })
})
