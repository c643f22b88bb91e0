import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleForNode, NODE_APP_EXTERNALS } from '@lakehouse/node/build'
import { findRepoRoot } from '@lakehouse/parity'
import { percentile } from './proc-stats.ts'

/**
 * Journal benchmarks (issue: durable state), each on Node and Bun, against SQLite in WAL mode
 * with synchronous=FULL (better-sqlite3, one insert per commit, Node only) on the same disk in
 * the same run:
 *   B1  one writer, 2,000 appends of ~1 KB, each awaited (acknowledged after fsync)
 *   B2  4 processes × 500 appends released together: throughput and p95 lock wait
 *       (journal with 1 and with 8 appends in flight per process — group commit needs the latter)
 *   B3  replay of ~100 MiB with CRC checks; cold start from a checkpoint + tail at ~100k records
 * Every figure comes from separate processes, one scenario at a time.
 */

const WORKER_NODE_SRC = fileURLToPath(new URL('./journal-worker-node.ts', import.meta.url))
const WORKER_BUN_SRC = fileURLToPath(new URL('./journal-worker-bun.ts', import.meta.url))
const WORKER_BUNDLE = fileURLToPath(new URL('../dist/journal-worker.js', import.meta.url))

type Engine = 'node' | 'bun' | 'sqlite'

interface WriterResult {
  readonly appends: number
  readonly wall_ms: number
  readonly started_at: number
  readonly latencies: number[]
  readonly lock_waits: number[]
  readonly commits: number
}

interface WriteFigure {
  readonly bench: 'B1' | 'B2'
  readonly engine: Engine
  readonly processes: number
  readonly in_flight: number
  readonly appends: number
  readonly wall_s: number
  readonly appends_per_s: number
  readonly p50_ms: number
  readonly p99_ms: number
  readonly p95_lock_wait_ms: number | null
  readonly commits: number
}

interface ReplayFigure {
  readonly engine: 'node' | 'bun'
  readonly records: number
  readonly mib: number
  readonly replay_s: number
  readonly replay_mib_per_s: number
  readonly checkpoint_seq: number
  readonly tail_records: number
  readonly cold_start_ms: number
}

function command(engine: Engine): string[] {
  if (engine === 'bun') return [process.execPath, WORKER_BUN_SRC]
  return ['node', WORKER_BUNDLE]
}

/** Runs one worker to completion (bounded: 10 minutes) and parses its JSON line. */
function runWorker<T>(engine: Engine, args: string[]): Promise<T> {
  const [cmd = 'node', ...base] = command(engine)
  const mode = engine === 'sqlite' ? 'sqlite-writer' : undefined
  const proc = spawn(cmd, [...base, ...(mode === undefined ? [] : ['--mode', mode]), ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  proc.stdout.setEncoding('utf8').on('data', (c: string) => (out += c))
  proc.stderr.setEncoding('utf8').on('data', (c: string) => (err += c))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), 600_000)
    proc.on('exit', (code) => {
      clearTimeout(timer)
      if (code !== 0) return reject(new Error(`${engine} worker ${args.join(' ')} exited ${code}: ${err.trim()}`))
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as T)
      } catch {
        reject(new Error(`${engine} worker printed no result: ${out}${err}`))
      }
    })
  })
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits

function summarise(bench: 'B1' | 'B2', engine: Engine, inFlight: number, results: WriterResult[]): WriteFigure {
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b)
  const waits = results.flatMap((r) => r.lock_waits).sort((a, b) => a - b)
  const start = Math.min(...results.map((r) => r.started_at))
  const end = Math.max(...results.map((r) => r.started_at + r.wall_ms))
  const appends = results.reduce((s, r) => s + r.appends, 0)
  const wallS = (end - start) / 1000
  return {
    bench,
    engine,
    processes: results.length,
    in_flight: inFlight,
    appends,
    wall_s: round(wallS, 3),
    appends_per_s: Math.round(appends / wallS),
    p50_ms: round(percentile(latencies, 50), 3),
    p99_ms: round(percentile(latencies, 99), 3),
    p95_lock_wait_ms: engine === 'sqlite' ? null : round(percentile(waits, 95), 3),
    commits: results.reduce((s, r) => s + r.commits, 0),
  }
}

async function writers(engine: Engine, processes: number, appendsEach: number, inFlight: number, root: string): Promise<WriterResult[]> {
  const dir = mkdtempSync(join(root, `${engine}-`))
  const start = join(dir, 'go')
  const args = [
    '--mode',
    'journal-writer',
    '--dir',
    join(dir, 'store'),
    '--appends',
    String(appendsEach),
    '--concurrency',
    String(inFlight),
  ]
  const sqliteArgs = ['--dir', dir, '--appends', String(appendsEach)]
  const runs = Array.from({ length: processes }, () =>
    runWorker<WriterResult>(engine, [...(engine === 'sqlite' ? sqliteArgs : args), '--start-file', start]),
  )
  // Every process opens its store first; the start file releases them together.
  await new Promise((r) => setTimeout(r, 1500))
  writeFileSync(start, '')
  try {
    return await Promise.all(runs)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function runJournalBench(options: { readonly mib: number }): Promise<string> {
  const repo = findRepoRoot()
  await bundleForNode(WORKER_NODE_SRC, WORKER_BUNDLE, [...NODE_APP_EXTERNALS, 'better-sqlite3'])
  // Same disk as the repository (ext4 here), never a tmpfs: fsync must cost what it costs.
  const root = join(tmpdir(), `lakehouse-journal-bench-${process.pid}`)
  mkdirSync(root, { recursive: true })
  const writes: WriteFigure[] = []
  const replays: ReplayFigure[] = []
  try {
    for (const engine of ['sqlite', 'node', 'bun'] as const) {
      process.stderr.write(`B1 ${engine}\n`)
      writes.push(summarise('B1', engine, 1, await writers(engine, 1, 2000, 1, root)))
    }
    for (const [engine, inFlight] of [
      ['sqlite', 1],
      ['node', 1],
      ['bun', 1],
      ['node', 8],
      ['bun', 8],
    ] as const) {
      process.stderr.write(`B2 ${engine} ×4, ${inFlight} in flight\n`)
      writes.push(summarise('B2', engine, inFlight, await writers(engine, 4, 500, inFlight, root)))
    }
    for (const engine of ['node', 'bun'] as const) {
      process.stderr.write(`B3 ${engine}\n`)
      const dir = mkdtempSync(join(root, `replay-${engine}-`))
      const r = await runWorker<Record<string, number>>(engine, [
        '--mode',
        'journal-replay',
        '--dir',
        join(dir, 'store'),
        '--mib',
        String(options.mib),
      ])
      rmSync(dir, { recursive: true, force: true })
      replays.push({
        engine,
        records: r.records ?? 0,
        mib: round((r.bytes ?? 0) / (1024 * 1024), 1),
        replay_s: round((r.replay_ms ?? 0) / 1000, 3),
        replay_mib_per_s: Math.round(r.replay_mib_per_s ?? 0),
        checkpoint_seq: r.checkpoint_seq ?? 0,
        tail_records: r.tail_records ?? 0,
        cold_start_ms: Math.round(r.cold_start_ms ?? 0),
      })
    }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  const outDir = join(repo, 'reports/bench')
  mkdirSync(outDir, { recursive: true })
  writeFileSync(join(outDir, `journal-${stamp}.json`), `${JSON.stringify({ writes, replays }, null, 2)}\n`)
  const md = renderJournalReport(writes, replays)
  writeFileSync(join(outDir, `journal-${stamp}.md`), md)
  return md
}

function renderJournalReport(writes: readonly WriteFigure[], replays: readonly ReplayFigure[]): string {
  const label = (e: Engine) => (e === 'sqlite' ? 'SQLite WAL, synchronous=FULL (node)' : `journal (${e})`)
  const lines = [
    '# Journal benchmarks',
    '',
    'Same disk (ext4), same run, one scenario at a time; 2 shared cores, so compare rows of this run only.',
    'Records are ~1 KB; every append is acknowledged only after fsync. SQLite: one insert per commit.',
    '',
    '| bench | engine | processes × in flight | appends | wall s | appends/s | p50 ms | p99 ms | p95 lock wait ms | write+fsync rounds |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...writes.map(
      (w) =>
        `| ${w.bench} | ${label(w.engine)} | ${w.processes} × ${w.in_flight} | ${w.appends} | ${w.wall_s} | ${w.appends_per_s} | ${w.p50_ms} | ${w.p99_ms} | ${w.p95_lock_wait_ms ?? '—'} | ${w.commits} |`,
    ),
    '',
    '| B3 | records | MiB | replay s | MiB/s (CRC checked) | checkpoint at seq | tail records | cold start ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...replays.map(
      (r) =>
        `| journal (${r.engine}) | ${r.records} | ${r.mib} | ${r.replay_s} | ${r.replay_mib_per_s} | ${r.checkpoint_seq} | ${r.tail_records} | ${r.cold_start_ms} |`,
    ),
    '',
    "Targets: B2 throughput ≥ SQLite's (group commit), B3 replay ≥ 100 MB/s, cold start < 1 s.",
    '',
  ]
  return lines.join('\n')
}
