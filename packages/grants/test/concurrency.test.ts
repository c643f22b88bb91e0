import { spawn } from 'node:child_process'
import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { authority, codeOf, rejectionOf, useTempDirs } from './helpers.ts'

const tempDir = useTempDirs()
const CONSUMERS = 16
const SCOPE = 'dataset.replace:workers'
const CHILD = fileURLToPath(new URL('./fixtures/consume-child.mjs', import.meta.url))

interface Consumer {
  readonly ready: Promise<void>
  readonly done: Promise<{ exitCode: number | null; runtime: string; outcome: string; stderr: string }>
}

const RUNTIME = process.versions.bun === undefined ? 'node' : 'bun'

/** Starts one consumer on this runtime (process.execPath is node or bun, whichever runs vitest). */
function startConsumer(dir: string, id: string, go: string): Consumer {
  const child = spawn(process.execPath, [CHILD, dir, id, go], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  let markReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => {
    markReady = resolve
  })
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c
    if (stdout.includes('\n')) markReady()
  })
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c
  })
  const done = new Promise<{ exitCode: number | null; runtime: string; outcome: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (exitCode) => {
      markReady() // never leave the barrier waiting on a child that died while loading
      const lines = stdout.split('\n').filter(Boolean)
      resolve({ exitCode, runtime: lines[0]?.replace(/^ready /, '') ?? '', outcome: lines.at(-1) ?? '', stderr })
    })
  })
  return { ready, done }
}

async function withinMs<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([p, timeout])
  } finally {
    clearTimeout(timer)
  }
}

describe('concurrent consumption', () => {
  it(`lets exactly one of ${CONSUMERS} concurrent in-process consumes win; the rest get GRANT_REUSED`, async () => {
    const dir = await tempDir()
    for (let trial = 0; trial < 5; trial++) {
      const { token, id } = await authority(dir).mint(SCOPE, 60_000)
      // One authority per consumer: nothing is shared in memory, only the directory.
      const settled = await Promise.allSettled(Array.from({ length: CONSUMERS }, () => authority(dir).consume(token, SCOPE)))
      const won = settled.filter((s) => s.status === 'fulfilled')
      const lost = settled.flatMap((s) => (s.status === 'rejected' ? [(s.reason as { code?: string }).code] : []))
      expect(won).toHaveLength(1)
      expect(lost).toEqual(Array.from({ length: CONSUMERS - 1 }, () => 'GRANT_REUSED'))
      expect(await readdir(join(dir, 'consumed'))).toContain(`${id}.json`)
    }
    expect(await readdir(join(dir, 'live'))).toEqual([])
  })

  it(`lets exactly one of ${CONSUMERS} ${RUNTIME} processes started together win the rename`, async () => {
    const dir = await tempDir()
    const auth = authority(dir)
    for (let trial = 0; trial < 3; trial++) {
      const { token, id } = await auth.mint(SCOPE, 60_000)
      const go = join(dir, `go-${trial}`)
      const consumers = Array.from({ length: CONSUMERS }, () => startConsumer(dir, id, go))
      // Every process has loaded and is polling before any may rename.
      await withinMs(Promise.all(consumers.map((c) => c.ready)), 30_000, 'starting the consumers')
      await writeFile(go, '')
      const results = await withinMs(Promise.all(consumers.map((c) => c.done)), 30_000, 'the consumers')
      for (const r of results) expect([r.outcome, r.exitCode, r.stderr, r.runtime]).toEqual([r.outcome, 0, '', RUNTIME])
      const outcomes = results.map((r) => r.outcome).sort()
      expect(outcomes).toEqual(['won', ...Array.from({ length: CONSUMERS - 1 }, () => 'lost')].sort())
      // The package agrees with what the processes did.
      const reused = await rejectionOf(auth.consume(token, SCOPE))
      expect(reused.code).toBe('GRANT_REUSED')
      expect(await codeOf(auth.verify(token, SCOPE))).toBe('GRANT_REUSED')
      expect((await auth.list()).find((g) => g.id === id)?.status).toBe('consumed')
    }
  }, 90_000)
})
