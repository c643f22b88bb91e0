import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runParity } from '../../src/run/runner.ts'
import { TargetError } from '../../src/targets/launch.ts'
import { withTargetHeaders } from '../../src/targets/target-flags.ts'

describe('withTargetHeaders', () => {
  const specs = [
    { name: 'a', url: 'http://127.0.0.1:1' },
    { name: 'b', url: 'http://127.0.0.1:2' },
  ]

  it('gives each named target its own headers, repeatable, names lower-cased', () => {
    const out = withTargetHeaders(specs, ['b=Authorization: Bearer two', 'b=X-Tenant: t2', 'a=authorization:'])
    expect(out).toEqual([
      { name: 'a', url: 'http://127.0.0.1:1', headers: { authorization: '' } },
      { name: 'b', url: 'http://127.0.0.1:2', headers: { authorization: 'Bearer two', 'x-tenant': 't2' } },
    ])
  })

  it('refuses an unknown target or a malformed header', () => {
    expect(() => withTargetHeaders(specs, ['c=X-A: 1'])).toThrow(TargetError)
    expect(() => withTargetHeaders(specs, ['c=X-A: 1'])).toThrow(/NAME one of a, b/)
    expect(() => withTargetHeaders(specs, ['a=no colon'])).toThrow(/a header name, a colon, a value/)
    expect(() => withTargetHeaders(specs, ['X-A: 1'])).toThrow(TargetError)
  })
})

describe('per-target headers in a run', () => {
  const servers: Server[] = []
  const urls: string[] = []
  let dir: string

  /** Answers 200 only to its own token, so a shared token would make one side 401. */
  const start = (token: string) =>
    new Promise<string>((resolve) => {
      const s = createServer((req, res) => {
        const ok = req.headers.authorization === `Bearer ${token}`
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ ok }))
      })
      servers.push(s)
      s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`))
    })

  beforeAll(async () => {
    urls.push(await start('one'), await start('two'))
    dir = mkdtempSync(join(tmpdir(), 'parity-target-headers-'))
    mkdirSync(join(dir, 'cases', 'auth'), { recursive: true })
    writeFileSync(join(dir, 'cases', 'auth', 'me.yaml'), 'id: auth.me\ntitle: who am I\nsteps:\n  - method: GET\n    path: /me\n')
  })
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
    rmSync(dir, { recursive: true, force: true })
  })

  it('sends each target its own token: parity, where one shared token gives a status divergence', async () => {
    const run = (specs: Parameters<typeof runParity>[0]['targets']) =>
      runParity({
        targets: specs,
        selection: { caseDir: join(dir, 'cases'), root: dir },
        outDir: join(dir, 'out'),
        updateDocs: false,
        token: 'one',
      })
    const plain = [
      { name: 'a', url: urls[0] ?? '' },
      { name: 'b', url: urls[1] ?? '' },
    ]
    expect((await run(plain)).report.findings.map((f) => f.path)).toEqual(['status', '$.ok'])
    const own = await run(withTargetHeaders(plain, ['b=Authorization: Bearer two']))
    expect(own.report.summary.parity).toBe(1)
    expect(own.report.exitCode).toBe(0)
  })
})
