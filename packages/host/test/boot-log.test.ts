import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FileLock } from '@lakehouse/journal'
import { createLogger } from '@lakehouse/kit'
import { afterEach, describe, expect, it } from 'vitest'
import { demoteInfoWhile } from '../src/boot.ts'
import { bootHost } from '../src/index.ts'

const SOLE: FileLock = { tryLock: () => true, unlock: () => undefined }
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('start-up log lines', () => {
  it('logs one config line at info before listening; components say ready at debug', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakehouse-host-boot-'))
    dirs.push(dir)
    const boot = async (level: string) => {
      const lines: { level: string; msg: string; [k: string]: unknown }[] = []
      const booted = await bootHost({
        argv: ['--port', '0', '--data-dir', dir, '--log-level', level],
        env: {},
        homedir: dir,
        runtime: 'node',
        lock: SOLE,
        write: (line) => void lines.push(JSON.parse(line)),
      })
      if (booted.kind !== 'ready') throw new Error('not ready')
      booted.host.announce('http://127.0.0.1:1')
      await booted.host.close()
      return lines
    }
    const info = await boot('info')
    expect(info.map((l) => l.msg)).toEqual(['config', 'listening'])
    expect(info[0]).toMatchObject({ level: 'info', provisioned: { dataDir: dir, source: 'flag' } })
    const debug = await boot('debug')
    const msgs = debug.map((l) => l.msg)
    expect(msgs).toContain('provisioned')
    expect(msgs.length).toBeGreaterThan(10)
    expect(debug.filter((l) => l.level === 'info').map((l) => l.msg)).toEqual(['config', 'listening'])
  }, 60_000)

  it('demotes info only while booting, children included', () => {
    const lines: string[] = []
    let booting = true
    const log = demoteInfoWhile(createLogger({ level: 'info', sink: (l) => void lines.push(l) }), () => booting).child({ component: 'x' })
    expect(log.enabled('info')).toBe(false)
    log.info('ready')
    log.warn('careful')
    booting = false
    log.info('later')
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['careful', 'later'])
  })
})
