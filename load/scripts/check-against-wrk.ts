/**
 * Holds `pnpm load` against wrk on GET /health (docs/load.md, "Checking the instrument"):
 * boots the Node app pinned to cpu 0, then alternates wrk and the load generator (both on the
 * last cpu, 10 connections, 10 s) five times (ROUNDS=n to change), and prints requests/s and p50 of each with the
 * medians and their ratio. Run after `pnpm build`: `bun load/scripts/check-against-wrk.ts`.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { findRepoRoot, launchApp } from '@lakehouse/parity'

const root = findRepoRoot()
const rounds = Number(process.env.ROUNDS ?? 5)
const cpus = availableParallelism()
const genCpu = String(cpus - 1)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

function wrk(url: string): { rps: number; p50ms: number } {
  const out = execFileSync('taskset', ['-c', genCpu, 'wrk', '-t1', '-c10', '-d10s', '--latency', `${url}/health`], { encoding: 'utf8' })
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1])
  const m = /\n\s+50%\s+([\d.]+)(us|ms|s)/.exec(out)
  const scale = m?.[2] === 'us' ? 0.001 : m?.[2] === 's' ? 1000 : 1
  return { rps, p50ms: Number(m?.[1]) * scale }
}

function load(url: string, pid: number): { rps: number; p50ms: number } {
  const out = mkdtempSync(join(tmpdir(), 'wrk-check-'))
  try {
    const r = spawnSync(
      'taskset',
      [
        '-c',
        genCpu,
        process.execPath.endsWith('bun') ? 'node' : process.execPath,
        join(root, 'load/dist/load.js'),
        '--targets',
        `a=${url}`,
        '--pid',
        `a=${pid}`,
        '--mix',
        join(root, 'load/mixes/health.yaml'),
        '--tiers',
        '10',
        '--rounds',
        '1',
        '--duration',
        '10s',
        '--warmup',
        '0',
        '--no-update-docs',
        '--no-pin',
        '--quiet',
        '--out',
        out,
      ],
      { encoding: 'utf8' },
    )
    if (r.status !== 0) throw new Error(`pnpm load exited ${r.status}: ${r.stderr}`)
    const dir = readdirSync(out)[0] ?? ''
    const report = JSON.parse(readFileSync(join(out, dir, 'report.json'), 'utf8'))
    const m = report.measurements[0]
    return { rps: m.requests_per_s, p50ms: m.request_latency.p50_us / 1000 }
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

const app = await launchApp('node', { args: ['--log-level', 'warn'] })
try {
  execFileSync('taskset', ['-a', '-p', '-c', '0', String(app.proc.pid)], { stdio: 'ignore' })
  const w: { rps: number; p50ms: number }[] = []
  const l: { rps: number; p50ms: number }[] = []
  wrk(app.url) // warm-up: the server's JIT, not a measurement
  for (let i = 1; i <= rounds; i++) {
    // Alternate which tool goes first, so neither always meets the server right after the other.
    if (i % 2 === 1) {
      w.push(wrk(app.url))
      l.push(load(app.url, app.proc.pid ?? 0))
    } else {
      l.push(load(app.url, app.proc.pid ?? 0))
      w.push(wrk(app.url))
    }
    process.stdout.write(
      `round ${i}: wrk ${w[i - 1]?.rps.toFixed(0)} req/s p50 ${w[i - 1]?.p50ms.toFixed(3)} ms | pnpm load ${l[i - 1]?.rps.toFixed(0)} req/s p50 ${l[i - 1]?.p50ms.toFixed(3)} ms\n`,
    )
  }
  const wr = median(w.map((x) => x.rps))
  const lr = median(l.map((x) => x.rps))
  const wp = median(w.map((x) => x.p50ms))
  const lp = median(l.map((x) => x.p50ms))
  // Shared machines drift between minutes: the ratio within a round (measured back to back) is
  // the fairer figure; the ratio of medians is printed too.
  const rpsRatio = median(w.map((x, i) => (l[i]?.rps ?? Number.NaN) / x.rps))
  const p50Ratio = median(w.map((x, i) => (l[i]?.p50ms ?? Number.NaN) / x.p50ms))
  process.stdout.write(
    `median: wrk ${wr.toFixed(0)} req/s, p50 ${wp.toFixed(3)} ms | pnpm load ${lr.toFixed(0)} req/s, p50 ${lp.toFixed(3)} ms | ratio of medians: req/s ${(lr / wr).toFixed(3)}, p50 ${(lp / wp).toFixed(3)}\n` +
      `median of per-round ratios (load/wrk): req/s ${rpsRatio.toFixed(3)}, p50 ${p50Ratio.toFixed(3)} — within 15 %: ${Math.abs(rpsRatio - 1) <= 0.15 && Math.abs(p50Ratio - 1) <= 0.15 ? 'yes' : 'no'}\n`,
  )
} finally {
  await app.stop()
}
