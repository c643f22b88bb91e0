/**
 * Issue 12 reproductions against real servers, measured: per request status and duration, the
 * server's RSS (VmRSS of its pid, sampled every 100 ms: peak during, and 5 s after the last
 * answer) and /health latency while the queries run. Reports, does not assert (the regression
 * tests in tests/runtime/test/sql-limits.test.ts assert).
 *
 *   node_modules/.bin/bun apps/node/build.ts            # the Node app runs its bundle
 *   node_modules/.bin/bun packages/query/bench/sql-limits.ts [node|bun ...] [runaway|list|repeat ...]
 *
 * A watchdog SIGKILLs a server whose RSS passes `--kill-above` GiB (default 8), so a build without
 * the caps cannot take a shared machine down; such a run reports `killed`.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serverCommand } from '@lakehouse/launch'

const args = process.argv.slice(2)
const killIdx = args.indexOf('--kill-above')
const killAboveGiB = killIdx >= 0 ? Number(args.splice(killIdx, 2)[1]) : 8
const runtimes = args.filter((a) => a === 'node' || a === 'bun')
const scenarios = args.filter((a) => a in SCENARIOS())

function SCENARIOS(): Record<string, { sql: string; concurrent: number }> {
  return {
    runaway: { sql: 'SELECT * FROM range(100000000000) t(x), range(1000000) u(y) ORDER BY random()', concurrent: 4 },
    list: { sql: 'SELECT list(range) FROM range(50000000)', concurrent: 1 },
    repeat: { sql: "SELECT repeat('x',300000000)", concurrent: 1 },
  }
}

const rssMiB = (pid: number): number => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Math.round(Number(m[1]) / 1024) : 0
  } catch {
    return 0
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function boot(runtime: 'node' | 'bun') {
  const dataDir = mkdtempSync(join(tmpdir(), `sql-limits-${runtime}-`))
  const [bin = '', ...rest] = serverCommand(runtime)
  const proc = spawn(bin, [...rest, '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const url = await new Promise<string>((ok, fail) => {
    const t = setTimeout(() => fail(new Error(`${runtime} did not start`)), 30_000)
    proc.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c
      const m = /"url":"([^"]+)"/.exec(out)
      if (m?.[1]) {
        clearTimeout(t)
        ok(m[1])
      }
    })
    proc.on('exit', () => fail(new Error(`${runtime} exited: ${out}`)))
  })
  const stop = async () => {
    proc.kill('SIGKILL')
    await sleep(200)
    rmSync(dataDir, { recursive: true, force: true })
  }
  return { proc, url, pid: proc.pid ?? 0, stop }
}

async function timed(url: string, init?: RequestInit) {
  const start = performance.now()
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(120_000) })
    const body = await res.arrayBuffer()
    let code: string | undefined
    try {
      code = (JSON.parse(new TextDecoder().decode(body.slice(0, 4096))) as { code?: string }).code
    } catch {
      code = undefined
    }
    return {
      status: res.status,
      ms: Math.round(performance.now() - start),
      bytes: body.byteLength,
      code,
      retryAfter: res.headers.get('retry-after'),
    }
  } catch (err) {
    return { status: 0, ms: Math.round(performance.now() - start), bytes: 0, code: String(err), retryAfter: null }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0

async function measure(runtime: 'node' | 'bun', name: string) {
  const scenario = SCENARIOS()[name]
  if (scenario === undefined) throw new Error(name)
  const s = await boot(runtime)
  try {
    for (let i = 0; i < 3; i++) await timed(`${s.url}/health`)
    const idle = rssMiB(s.pid)
    let peak = idle
    let killed = false
    let done = false
    const sampler = (async () => {
      while (!done) {
        const r = rssMiB(s.pid)
        peak = Math.max(peak, r)
        if (r > killAboveGiB * 1024 && !killed) {
          killed = true
          s.proc.kill('SIGKILL')
        }
        await sleep(100)
      }
    })()
    const health: number[] = []
    const prober = (async () => {
      while (!done) {
        const h = await timed(`${s.url}/health`)
        health.push(h.status === 200 ? h.ms : 120_000)
        await sleep(100)
      }
    })()
    const started = performance.now()
    const answers = await Promise.all(
      Array.from({ length: scenario.concurrent }, () =>
        timed(`${s.url}/v1/query/sql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ sql: scenario.sql }),
        }),
      ),
    )
    const wall = Math.round(performance.now() - started)
    const after: number[] = []
    for (const at of [1, 2, 5, 10, 20]) {
      await sleep((at - (after.length === 0 ? 0 : ([1, 2, 5, 10, 20][after.length - 1] ?? 0))) * 1000)
      after.push(killed ? 0 : rssMiB(s.pid))
    }
    done = true
    await Promise.all([sampler, prober])
    const report = {
      runtime,
      scenario: name,
      wallMs: wall,
      answers: answers.map((a) => ({ status: a.status, code: a.code, ms: a.ms, bytes: a.bytes, retryAfter: a.retryAfter })),
      rssIdleMiB: idle,
      rssPeakMiB: peak,
      rssAfterMiB: Object.fromEntries([1, 2, 5, 10, 20].map((at, i) => [`${at}s`, after[i]])),
      killed,
      healthMs: { n: health.length, median: median(health), max: Math.max(...health) },
    }
    console.log(JSON.stringify(report))
  } finally {
    await s.stop()
  }
}

for (const runtime of runtimes.length > 0 ? runtimes : (['node', 'bun'] as const)) {
  for (const name of scenarios.length > 0 ? scenarios : Object.keys(SCENARIOS())) await measure(runtime as 'node' | 'bun', name)
}
