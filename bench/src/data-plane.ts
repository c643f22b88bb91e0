import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeWorkersCsv } from '@lakehouse/corpus'
import { type AppRuntime, findRepoRoot, launchApp } from '@lakehouse/parity'
import { postJson, uploadFile } from './http-upload.ts'
import { MIB, percentile, rssOf } from './proc-stats.ts'

/**
 * Data-plane benchmark (issue: data plane): ingest 100k and 500k generated rows through HTTP
 * on each runtime (wall time, rows/s, peak server RSS), then GROUP BY / count(*) / AVG over
 * the 500k dataset through /v1/query/sql (p50/p95 of repeated runs after warm-up).
 * Runtimes run one after the other, never at the same time.
 */

const QUERIES: Record<string, string> = {
  group_by: 'SELECT role, count(*) AS n FROM workers GROUP BY role ORDER BY n DESC',
  count: 'SELECT count(*) AS n FROM workers',
  avg: 'SELECT avg(reliability_score) AS r FROM workers',
}

interface IngestFigure {
  readonly runtime: AppRuntime
  readonly rows: number
  readonly bytes: number
  readonly wall_s: number
  readonly rows_per_s: number
  readonly mib_per_s: number
  readonly peak_rss_mib: number
  readonly status: number
}

interface QueryFigure {
  readonly runtime: AppRuntime
  readonly query: string
  readonly runs: number
  readonly p50_ms: number
  readonly p95_ms: number
  readonly min_ms: number
}

async function corpusFile(dir: string, rows: number): Promise<string> {
  const file = join(dir, `workers-${rows}.csv`)
  if (!existsSync(file)) {
    process.stderr.write(`generating ${rows} rows → ${file}\n`)
    await writeWorkersCsv({ rows, seed: 'bench', out: file })
  }
  return file
}

async function benchRuntime(
  runtime: AppRuntime,
  files: { rows: number; file: string }[],
  repeats: number,
): Promise<{ ingest: IngestFigure[]; query: QueryFigure[] }> {
  const ingest: IngestFigure[] = []
  const query: QueryFigure[] = []
  for (const { rows, file } of files) {
    // A fresh server per size, so peak RSS is this ingest's peak and not the previous one's.
    // --max-upload: the 344 MiB anchor file is above the 256 MiB default upload limit.
    const app = await launchApp(runtime, { args: ['--log-level', 'warn', '--max-upload', '1GiB'] })
    try {
      const pid = app.proc.pid ?? 0
      const before = rssOf(pid)
      const t0 = performance.now()
      const res = await uploadFile(`${app.url}/v1/ingest/workers`, file, 'text/csv')
      const wall = (performance.now() - t0) / 1000
      const after = rssOf(pid)
      const bytes = statSync(file).size
      ingest.push({
        runtime,
        rows,
        bytes,
        wall_s: round(wall, 3),
        rows_per_s: Math.round(rows / wall),
        mib_per_s: round(bytes / MIB / wall, 1),
        peak_rss_mib: round(Math.max(before.peak, after.peak) / MIB, 1),
        status: res.status,
      })
      process.stderr.write(
        `${runtime} ingest ${rows}: HTTP ${res.status} in ${wall.toFixed(2)} s, peak RSS ${(after.peak / MIB).toFixed(0)} MiB\n`,
      )
      if (res.status >= 300) throw new Error(`${runtime} ingest of ${rows} rows failed: HTTP ${res.status} ${res.text.slice(0, 500)}`)
      if (rows === Math.max(...files.map((f) => f.rows))) {
        for (const [name, sql] of Object.entries(QUERIES)) {
          for (let i = 0; i < 5; i++) await postJson(`${app.url}/v1/query/sql`, { sql }) // warm-up
          const times: number[] = []
          for (let i = 0; i < repeats; i++) {
            const t = performance.now()
            const r = await postJson(`${app.url}/v1/query/sql`, { sql })
            times.push(performance.now() - t)
            if (r.status !== 200) throw new Error(`${runtime} ${name}: HTTP ${r.status} ${JSON.stringify(r.json)}`)
          }
          times.sort((a, b) => a - b)
          query.push({
            runtime,
            query: name,
            runs: repeats,
            p50_ms: round(percentile(times, 50), 2),
            p95_ms: round(percentile(times, 95), 2),
            min_ms: round(times[0] ?? 0, 2),
          })
        }
      }
    } finally {
      await app.stop()
    }
  }
  return { ingest, query }
}

function round(n: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

function markdown(ingest: IngestFigure[], query: QueryFigure[], meta: Record<string, string>): string {
  const lines = ['# Data-plane benchmark', '', ...Object.entries(meta).map(([k, v]) => `- ${k}: ${v}`), '']
  lines.push('## Ingest through HTTP (POST /v1/ingest/workers, text/csv streamed)', '')
  lines.push(
    '| runtime | rows | CSV MiB | wall s | rows/s | MiB/s | peak server RSS MiB | status |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  )
  for (const f of ingest)
    lines.push(
      `| ${f.runtime} | ${f.rows} | ${(f.bytes / MIB).toFixed(1)} | ${f.wall_s} | ${f.rows_per_s} | ${f.mib_per_s} | ${f.peak_rss_mib} | ${f.status} |`,
    )
  lines.push('', 'Anchor (Go system): 500k rows, 344 MiB CSV in 3.12 s, 209 MiB peak RSS.', '')
  lines.push('## Queries over the largest dataset (POST /v1/query/sql, end to end)', '')
  lines.push('| runtime | query | runs | p50 ms | p95 ms | min ms |', '|---|---|---:|---:|---:|---:|')
  for (const q of query) lines.push(`| ${q.runtime} | ${q.query} | ${q.runs} | ${q.p50_ms} | ${q.p95_ms} | ${q.min_ms} |`)
  lines.push('', 'Anchor (Go system): GROUP BY 45 ms, count 24 ms, AVG 47 ms. Target: under 15 ms each.', '')
  return lines.join('\n')
}

export async function runDataPlaneBench(options: { rows: number[]; repeats: number }): Promise<string> {
  const root = findRepoRoot()
  const dir = join(root, 'reports/bench')
  const cache = join(dir, 'cache')
  mkdirSync(cache, { recursive: true })
  const files = []
  for (const rows of options.rows) files.push({ rows, file: await corpusFile(cache, rows) })
  const ingest: IngestFigure[] = []
  const query: QueryFigure[] = []
  for (const runtime of ['node', 'bun'] as const) {
    const r = await benchRuntime(runtime, files, options.repeats)
    ingest.push(...r.ingest)
    query.push(...r.query)
  }
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  const meta = {
    date: new Date().toISOString(),
    machine: '2 cores (shared; figures vary 2–6× between runs)',
    rows: options.rows.join(', '),
    'query repeats': String(options.repeats),
  }
  writeFileSync(join(dir, `data-plane-${stamp}.json`), `${JSON.stringify({ meta, ingest, query }, null, 2)}\n`)
  const md = markdown(ingest, query, meta)
  writeFileSync(join(dir, `data-plane-${stamp}.md`), md)
  return md
}
