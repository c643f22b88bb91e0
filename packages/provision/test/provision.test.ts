import { spawnSync } from 'node:child_process'
import { chmod, lstat, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Problem } from '@lakehouse/kit'
import { describe, expect, it } from 'vitest'
import { DATA_DIR_SUBDIRS, type ProvisionReport, provision } from '../src/index.ts'
import { useTempDirs } from './helpers.ts'

const tempDir = useTempDirs()
const KEY = /^[0-9a-f]{64}\n$/
const mode = async (path: string) => (await stat(path)).mode & 0o7777

async function fresh(): Promise<{ dir: string; report: ProvisionReport }> {
  const dir = join(await tempDir(), 'data')
  return { dir, report: await provision(dir) }
}

async function rejection(promise: Promise<unknown>): Promise<Problem> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(Problem)
  return err as Problem
}

describe('provision', () => {
  it('creates the tree with 0700 directories and a 0600 64-hex key', async () => {
    const { dir, report } = await fresh()
    expect(report).toEqual({
      dir,
      created: ['.', ...DATA_DIR_SUBDIRS, 'secret.key'],
      writable: true,
      key: { path: join(dir, 'secret.key'), created: true, repaired: false, mode: '0600' },
    })
    for (const sub of ['.', ...DATA_DIR_SUBDIRS]) expect(await mode(join(dir, sub))).toBe(0o700)
    expect(await mode(join(dir, 'secret.key'))).toBe(0o600)
    expect(await readFile(join(dir, 'secret.key'), 'utf8')).toMatch(KEY)
  })

  it('leaves no probe or temp files behind', async () => {
    const { dir } = await fresh()
    expect((await readdir(dir)).sort()).toEqual([...DATA_DIR_SUBDIRS, 'secret.key'].sort())
    expect(await readdir(join(dir, 'tmp'))).toEqual([])
    expect((await lstat(join(dir, 'secret.key'))).nlink).toBe(1)
  })

  it('is idempotent: a re-run creates nothing and keeps the same key bytes', async () => {
    const { dir } = await fresh()
    const before = await readFile(join(dir, 'secret.key'))
    const again = await provision(dir)
    expect(again.created).toEqual([])
    expect(again.key).toEqual({ path: join(dir, 'secret.key'), created: false, repaired: false, mode: '0600' })
    expect(await readFile(join(dir, 'secret.key'))).toEqual(before)
  })

  it('recreates a missing subdirectory and reports only that', async () => {
    const { dir } = await fresh()
    spawnSync('rmdir', [join(dir, 'journal')])
    expect((await provision(dir)).created).toEqual(['journal'])
  })

  it('creates missing parents and reports them by absolute path', async () => {
    const base = await tempDir()
    const dir = join(base, 'a', 'b', 'data')
    const report = await provision(dir)
    expect(report.created.slice(0, 3)).toEqual([join(base, 'a'), join(base, 'a', 'b'), '.'])
    expect(await mode(join(base, 'a'))).toBe(0o700)
  })

  it('leaves the mode of directories it did not create alone', async () => {
    const dir = await tempDir()
    await chmod(dir, 0o750)
    const report = await provision(dir)
    expect(report.created).toEqual([...DATA_DIR_SUBDIRS, 'secret.key'])
    expect(await mode(dir)).toBe(0o750)
  })

  it('resolves a relative dir to an absolute report', async () => {
    const base = await tempDir()
    const report = await provision(join(base, 'x', '..', 'data'))
    expect(report.dir).toBe(join(base, 'data'))
  })

  it('follows a symlinked data directory', async () => {
    const base = await tempDir()
    await mkdir(join(base, 'real'))
    await symlink(join(base, 'real'), join(base, 'link'))
    const report = await provision(join(base, 'link'))
    expect(report.created).toEqual([...DATA_DIR_SUBDIRS, 'secret.key'])
    expect(await readFile(join(base, 'real', 'secret.key'), 'utf8')).toMatch(KEY)
  })

  describe('an existing key with a loose mode', () => {
    it('is repaired to 0600 by default, with repaired: true and the same bytes', async () => {
      const { dir } = await fresh()
      const key = join(dir, 'secret.key')
      const bytes = await readFile(key)
      await chmod(key, 0o644)
      const report = await provision(dir)
      expect(report.key).toEqual({ path: key, created: false, repaired: true, mode: '0600' })
      expect(await mode(key)).toBe(0o600)
      expect(await readFile(key)).toEqual(bytes)
      expect((await provision(dir)).key.repaired).toBe(false)
    })

    it('repairs owner-only deviations too (0400, 0700), since 0600 is the one mode a key has', async () => {
      const { dir } = await fresh()
      const key = join(dir, 'secret.key')
      for (const loose of [0o400, 0o700, 0o4600]) {
        await chmod(key, loose)
        expect((await provision(dir)).key.repaired).toBe(true)
        expect(await mode(key)).toBe(0o600)
      }
    })

    it('is refused with PROVISION_KEY_PERMISSIVE under keyPolicy refuse, and left untouched', async () => {
      const { dir } = await fresh()
      const key = join(dir, 'secret.key')
      await chmod(key, 0o644)
      const before = await stat(key)
      const bytes = await readFile(key)
      const problem = await rejection(provision(dir, { keyPolicy: 'refuse' }))
      expect(problem.code).toBe('PROVISION_KEY_PERMISSIVE')
      expect(problem.status).toBe(500)
      expect(problem.detail).toContain(key)
      expect(problem.detail).toContain('0644')
      expect(problem.extensions).toMatchObject({ path: key, fix: expect.stringContaining(`chmod 600 ${key}`) })
      const after = await stat(key)
      expect(after.mode).toBe(before.mode)
      expect(after.ctimeMs).toBe(before.ctimeMs)
      expect(await readFile(key)).toEqual(bytes)
    })

    it('is accepted under keyPolicy refuse when the mode is already 0600', async () => {
      const { dir } = await fresh()
      expect((await provision(dir, { keyPolicy: 'refuse' })).key.repaired).toBe(false)
    })
  })

  describe('an invalid key', () => {
    const bad: [string, string][] = [
      ['text', 'not a key\n'],
      ['uppercase hex', `${'A'.repeat(64)}\n`],
      ['63 characters', `${'a'.repeat(63)}\n`],
      ['65 hex characters', `${'a'.repeat(65)}`],
      ['two newlines', `${'a'.repeat(64)}\n\n`],
      ['CRLF', `${'a'.repeat(64)}\r\n`],
      ['an empty file', ''],
      ['a long file', 'a'.repeat(10_000)],
    ]
    for (const [name, content] of bad) {
      it(`refuses ${name} with PROVISION_KEY_INVALID, never echoing the content`, async () => {
        const dir = await tempDir()
        const key = join(dir, 'secret.key')
        await writeFile(key, content, { mode: 0o644 })
        const problem = await rejection(provision(dir))
        expect(problem.code).toBe('PROVISION_KEY_INVALID')
        expect(problem.detail).toContain(key)
        if (content.length > 8) expect(problem.detail).not.toContain(content.trim())
        expect(await readFile(key, 'utf8')).toBe(content)
        expect(await mode(key)).toBe(0o644) // invalid content is refused before any repair
      })
    }

    it('accepts a key without the trailing newline', async () => {
      const dir = await tempDir()
      await writeFile(join(dir, 'secret.key'), 'b'.repeat(64), { mode: 0o600 })
      expect((await provision(dir)).key).toMatchObject({ created: false, repaired: false })
    })

    it('refuses a directory at the key path', async () => {
      const dir = await tempDir()
      await mkdir(join(dir, 'secret.key'))
      const problem = await rejection(provision(dir))
      expect(problem.code).toBe('PROVISION_KEY_INVALID')
      expect(problem.detail).toContain('a directory')
    })

    it('refuses a symlink at the key path, even to a valid key, and does not chmod its target', async () => {
      const dir = await tempDir()
      const target = join(await tempDir(), 'elsewhere.key')
      await writeFile(target, `${'c'.repeat(64)}\n`, { mode: 0o644 })
      await symlink(target, join(dir, 'secret.key'))
      const problem = await rejection(provision(dir))
      expect(problem.code).toBe('PROVISION_KEY_INVALID')
      expect(problem.detail).toContain('symbolic link')
      expect(await mode(target)).toBe(0o644)
    })

    it('refuses a FIFO at the key path without hanging', async () => {
      const dir = await tempDir()
      expect(spawnSync('mkfifo', ['-m', '600', join(dir, 'secret.key')]).status).toBe(0)
      const problem = await rejection(provision(dir))
      expect(problem.code).toBe('PROVISION_KEY_INVALID')
      expect(problem.detail).toContain('FIFO')
    })
  })

  describe('a file where a directory should be', () => {
    it('refuses the data directory itself with PROVISION_NOT_A_DIRECTORY naming it', async () => {
      const dir = join(await tempDir(), 'data')
      await writeFile(dir, 'oops')
      const problem = await rejection(provision(dir))
      expect(problem.code).toBe('PROVISION_NOT_A_DIRECTORY')
      expect(problem.detail).toContain(`${dir} exists but is a regular file`)
      expect(problem.extensions).toMatchObject({ path: dir, fix: expect.stringContaining('--data-dir / LAKEHOUSE_DATA_DIR') })
    })

    it('refuses a subdirectory that is a file', async () => {
      const dir = await tempDir()
      await writeFile(join(dir, 'grants'), '')
      const problem = await rejection(provision(dir))
      expect(problem.code).toBe('PROVISION_NOT_A_DIRECTORY')
      expect(problem.extensions).toMatchObject({ path: join(dir, 'grants') })
    })

    it('refuses a parent that is a file, naming the parent', async () => {
      const base = await tempDir()
      await writeFile(join(base, 'file'), '')
      const problem = await rejection(provision(join(base, 'file', 'deeper', 'data')))
      expect(problem.code).toBe('PROVISION_NOT_A_DIRECTORY')
      expect(problem.extensions).toMatchObject({ path: join(base, 'file') })
    })

    it('refuses a dangling symlink at the data directory', async () => {
      const base = await tempDir()
      await symlink(join(base, 'nowhere'), join(base, 'data'))
      const problem = await rejection(provision(join(base, 'data')))
      expect(problem.code).toBe('PROVISION_NOT_A_DIRECTORY')
      expect(problem.detail).toContain('dangling symbolic link')
    })
  })

  it('rejects an unknown keyPolicy with CONFIG_INVALID', async () => {
    const dir = await tempDir()
    const problem = await rejection(provision(dir, { keyPolicy: 'ignore' as 'refuse' }))
    expect(problem.code).toBe('CONFIG_INVALID')
  })
})
