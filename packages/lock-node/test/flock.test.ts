import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createNodeFileLock } from '../src/index.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('createNodeFileLock', () => {
  it('excludes a second open file description until the first unlocks (closing also releases)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-node-'))
    dirs.push(dir)
    const lock = createNodeFileLock()
    const a = openSync(join(dir, 'lock'), 'a+')
    const b = openSync(join(dir, 'lock'), 'a+')
    expect(lock.tryLock(a)).toBe(true)
    expect(lock.tryLock(b)).toBe(false)
    lock.unlock(a)
    expect(lock.tryLock(b)).toBe(true)
    expect(lock.tryLock(a)).toBe(false)
    closeSync(b)
    expect(lock.tryLock(a)).toBe(true)
    closeSync(a)
  })

  it('throws on a bad descriptor instead of reporting contention', () => {
    expect(() => createNodeFileLock().tryLock(987654)).toThrow()
  })
})
