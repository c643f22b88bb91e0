import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { testFileLock } from '@lakehouse/journal/testing'
import { dataLayout } from '@lakehouse/provision'
import { afterAll, describe, expect, it } from 'vitest'
import { describeBootFailure } from '../src/boot.ts'
import { lockDataDir } from '../src/data-dir-lock.ts'

const dir = mkdtempSync(join(tmpdir(), 'lakehouse-dir-lock-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('lockDataDir (issue 13: one server per data directory)', () => {
  it('writes the pid, refuses a second holder naming it, and frees the directory on release', async () => {
    const lock = await testFileLock()
    const first = lockDataDir(dir, lock, 4242)
    expect(readFileSync(dataLayout(dir).serverLock, 'utf8')).toBe('4242\n')
    let refused: unknown
    try {
      lockDataDir(dir, lock, 5151)
    } catch (err) {
      refused = err
    }
    expect(refused).toMatchObject({ code: 'PROVISION_DATA_DIR_IN_USE', extensions: { pid: 4242 } })
    const message = describeBootFailure(refused)
    expect(message).toContain('pid 4242')
    expect(message).toContain('PROVISION_DATA_DIR_IN_USE')
    first.release()
    first.release()
    const second = lockDataDir(dir, lock, 5151)
    expect(readFileSync(dataLayout(dir).serverLock, 'utf8')).toBe('5151\n')
    second.release()
  })
})
