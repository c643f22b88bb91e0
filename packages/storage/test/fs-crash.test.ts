import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createFsObjectStore } from '../src/index.ts'
import { readAll, tempDir } from './helpers.ts'

// The writer runs on Bun, which runs TypeScript directly, under both test runtimes.
const BUN = fileURLToPath(new URL('../../../node_modules/.bin/bun', import.meta.url))
const WRITER = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url))

/** Runs the writer until it has acknowledged `acks` puts, then SIGKILLs it mid-stream. */
function writeThenKill(root: string, acks: number): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(BUN, [WRITER, root], { stdio: ['ignore', 'pipe', 'pipe'] })
    const acked = new Map<string, number>()
    let seen = 0
    let buffered = ''
    let stderr = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    timer.unref()
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        const [key = '', size = '0'] = line.split(' ')
        acked.set(key, Number(size))
        if (++seen === acks) child.kill('SIGKILL')
      }
    })
    child.on('error', reject)
    child.on('exit', (_code, signal) => {
      clearTimeout(timer)
      if (signal === 'SIGKILL' && seen >= acks) resolve(acked)
      else reject(new Error(`writer exited early (${signal ?? _code}): ${stderr}`))
    })
  })
}

describe('fs backend crash safety', () => {
  it('keeps every acknowledged put whole after SIGKILL, and reopens clean', async () => {
    const root = tempDir('crash')
    const acked = await writeThenKill(root, 40)
    const store = createFsObjectStore({ root })
    expect(readdirSync(`${root}/.tmp`)).toEqual([])
    const listed = await store.list('crash/', 10)
    expect(listed.items.map((i) => i.key)).toEqual(['crash/k0', 'crash/k1', 'crash/k2', 'crash/k3'])
    for (const item of listed.items) {
      // The last acknowledged version or a newer one that committed before the kill; never older, never torn.
      expect(item.size).toBeGreaterThanOrEqual(acked.get(item.key) ?? Number.POSITIVE_INFINITY)
      const got = await store.get(item.key)
      const bytes = await readAll(got?.body ?? null)
      expect(bytes.byteLength).toBe(item.size)
      expect(bytes.every((b) => b === bytes[0])).toBe(true)
      expect(bytes[0]).toBe(0x61 + ((item.size - 64 * 1024) % 26))
      expect(item.etag).toBe(createHash('sha256').update(bytes).digest('hex'))
    }
    await store.close()
  }, 30_000)
})
