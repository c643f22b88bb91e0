import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type Runtime, runApp, startServer } from './servers.ts'

const RUNTIMES: readonly Runtime[] = ['node', 'bun']

describe.each(RUNTIMES)('%s app lifecycle', (runtime) => {
  it('announces a bound URL for port 0 and stops with exit 0 on SIGTERM', async () => {
    const s = await startServer(runtime)
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(Number(new URL(s.url).port)).toBeGreaterThan(0)
    const exit = await s.stop()
    expect(exit).toEqual({ code: 0, signal: null })
    expect(s.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true)
  })

  it('finishes an in-flight request before exiting on SIGINT', async () => {
    const s = await startServer(runtime)
    // A slow upload: the request is in flight when the signal arrives.
    let push: ((chunk: Uint8Array | null) => void) | undefined
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        push = (chunk) => (chunk === null ? c.close() : c.enqueue(chunk))
      },
    })
    const pending = fetch(`${s.url}/v1/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit)
    push?.(new TextEncoder().encode('{"kind":"sms","payload":'))
    await new Promise((r) => setTimeout(r, 300))
    s.proc.kill('SIGINT')
    await new Promise((r) => setTimeout(r, 300))
    push?.(new TextEncoder().encode('{"to":"5551234567","body":"ok"}}'))
    push?.(null)
    const res = await pending
    expect(res.status).toBe(200)
    expect(await s.exited).toEqual({ code: 0, signal: null })
    rmSync(s.dataDir, { recursive: true, force: true })
  })

  it('exits 2 naming the path and the fix when the data dir is a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakehouse-bad-'))
    const file = join(dir, 'not-a-dir')
    writeFileSync(file, 'x')
    try {
      const r = await runApp(runtime, ['--port', '0', '--data-dir', file])
      expect(r.exit.code).toBe(2)
      expect(r.stderr).toContain(file)
      expect(r.stderr.toLowerCase()).toContain('fix')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('exits 2 on an invalid flag and on a non-loopback host', async () => {
    const bad = await runApp(runtime, ['--port', '99999'])
    expect(bad.exit.code).toBe(2)
    expect(bad.stderr).toContain('port')
    const open = await runApp(runtime, ['--host', '0.0.0.0', '--port', '0'])
    expect(open.exit.code).toBe(2)
    expect(open.stderr).toContain('loopback')
  })

  it('repairs a loose secret key at boot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakehouse-key-'))
    try {
      const first = await startServer(runtime, { dataDir: dir })
      await first.stop()
      chmodSync(join(dir, 'secret.key'), 0o644)
      const second = await startServer(runtime, { dataDir: dir })
      expect(second.lines.some((l) => l.includes('"keyRepaired":true'))).toBe(true)
      await second.stop()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
