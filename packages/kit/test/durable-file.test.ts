import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ensureDirDurable, isAtomicTempName, type WriteTarget, writeAll, writeFileAtomic } from '../src/index.ts'

// Records which directories get fsynced: the durability promise is exactly that list.
const synced = vi.hoisted(() => [] as string[])
vi.mock('../src/fsync.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/fsync.ts')>()
  return {
    ...actual,
    fsyncPath: async (path: string) => {
      synced.push(path)
      await actual.fsyncPath(path)
    },
  }
})

let root = ''
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kit-durable-'))
  synced.length = 0
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (err: unknown) => (err as { code?: unknown }).code,
  )

describe('writeFileAtomic', () => {
  it('replaces the file by a new inode, so a reader of the old one never sees a mix, and fsyncs the directory', async () => {
    const path = join(root, 'doc.json')
    writeFileSync(path, 'old content, longer than the new one')
    const before = statSync(path).ino
    const reader = await open(path, 'r')
    try {
      await writeFileAtomic(path, 'new')
      expect(readFileSync(path, 'utf8')).toBe('new')
      expect(statSync(path).ino).not.toBe(before)
      expect((await reader.readFile()).toString()).toBe('old content, longer than the new one')
    } finally {
      await reader.close()
    }
    expect(readdirSync(root)).toEqual(['doc.json'])
    expect(synced).toEqual([root])
  })

  it('writes bytes as given and applies the mode', async () => {
    const path = join(root, 'key')
    await writeFileAtomic(path, new Uint8Array([0, 1, 2, 255]), { mode: 0o600 })
    expect([...readFileSync(path)]).toEqual([0, 1, 2, 255])
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })

  it('removes its temp file and rethrows the rename error when the target is a non-empty directory', async () => {
    const path = join(root, 'taken')
    mkdirSync(path)
    writeFileSync(join(path, 'inside'), 'x')
    expect(await codeOf(writeFileAtomic(path, 'text'))).toBe('EISDIR')
    expect(readdirSync(root)).toEqual(['taken'])
    expect(readdirSync(path)).toEqual(['inside'])
  })

  it('streams from a content function, and removes the temp file when that function throws', async () => {
    const path = join(root, 'big.csv')
    writeFileSync(path, 'old')
    await writeFileAtomic(path, async (handle) => {
      for (const part of ['a,b\n', '1,2\n']) await writeAll(handle, Buffer.from(part))
    })
    expect(readFileSync(path, 'utf8')).toBe('a,b\n1,2\n')
    const failure = new Error('aborted mid-stream')
    const rejected = writeFileAtomic(path, async (handle) => {
      await writeAll(handle, Buffer.from('partial'))
      throw failure
    })
    await expect(rejected).rejects.toBe(failure)
    expect(readdirSync(root)).toEqual(['big.csv'])
    expect(readFileSync(path, 'utf8')).toBe('a,b\n1,2\n')
  })

  it('rethrows the error and leaves nothing when the parent is a file', async () => {
    writeFileSync(join(root, 'file'), 'x')
    expect(await codeOf(writeFileAtomic(join(root, 'file', 'child'), 'text'))).toBe('ENOTDIR')
    expect(readdirSync(root)).toEqual(['file'])
  })

  it('names its temp files so that a sweep can recognise them and nothing else', () => {
    expect(isAtomicTempName('.index.json.0123456789ab.tmp', 'index.json')).toBe(true)
    expect(isAtomicTempName('.index.json.0123456789ab.tmp', 'other.json')).toBe(false)
    expect(isAtomicTempName('index.json', 'index.json')).toBe(false)
    expect(isAtomicTempName('.index.json.0123.tmp', 'index.json')).toBe(false)
  })
})

/** A handle whose writes take at most `max` bytes, as write(2) is allowed to. */
function shortWriter(max: number) {
  const calls: { offset: number; length: number; position: number | null | undefined }[] = []
  const out: number[] = []
  const handle: WriteTarget = {
    async write(buffer, offset, length, position) {
      calls.push({ offset, length, position })
      const n = Math.min(max, length)
      out.push(...buffer.subarray(offset, offset + n))
      return { bytesWritten: n }
    },
  }
  return { handle, calls, out }
}

describe('writeAll', () => {
  it('keeps writing until every byte is taken when each write is short', async () => {
    const bytes = new Uint8Array(10).map((_, i) => i + 1)
    const { handle, calls, out } = shortWriter(3)
    await writeAll(handle, bytes)
    expect(out).toEqual([...bytes])
    expect(calls.map((c) => c.offset)).toEqual([0, 3, 6, 9])
    expect(calls.every((c) => c.position === undefined)).toBe(true)
  })

  it('advances an explicit position with the bytes already written', async () => {
    const { handle, calls } = shortWriter(4)
    await writeAll(handle, new Uint8Array(10), 100)
    expect(calls.map((c) => c.position)).toEqual([100, 104, 108])
  })

  it('writes at the position of a real file', async () => {
    const path = join(root, 'f')
    writeFileSync(path, 'aaaaaaaa')
    const fh = await open(path, 'r+')
    try {
      await writeAll(fh, Buffer.from('XY'), 3)
    } finally {
      await fh.close()
    }
    expect(readFileSync(path, 'utf8')).toBe('aaaXYaaa')
  })
})

describe('ensureDirDurable', () => {
  it('creates nested directories and fsyncs the parent of every level it created', async () => {
    mkdirSync(join(root, 'a'))
    const deep = join(root, 'a', 'b', 'c', 'd')
    await ensureDirDurable(deep, { mode: 0o700 })
    expect(statSync(deep).isDirectory()).toBe(true)
    for (const dir of [join(root, 'a', 'b'), join(root, 'a', 'b', 'c'), deep]) expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect([...synced].sort()).toEqual([join(root, 'a'), join(root, 'a', 'b'), join(root, 'a', 'b', 'c')])
  })

  it('does nothing when the directory exists', async () => {
    await ensureDirDurable(root)
    expect(synced).toEqual([])
  })

  it('rejects when a component is a file', async () => {
    writeFileSync(join(root, 'file'), 'x')
    expect(await codeOf(ensureDirDurable(join(root, 'file', 'sub')))).toBe('ENOTDIR')
  })
})
