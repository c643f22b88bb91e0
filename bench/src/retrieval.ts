import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PLACES, ROLES, writeWorkersCsv } from '@lakehouse/corpus'
import { type AppRuntime, findRepoRoot, launchApp, runLakehouseCli } from '@lakehouse/parity'
import { postJson, uploadFile } from './http-upload.ts'
import { MIB, percentile, rssOf } from './proc-stats.ts'

/**
 * Retrieval benchmark (issue: retrieval plane): index N generated workers on each runtime
 * through the real path (`lakehouse corpus index`: SQL pages → server-side embedding →
 * HNSW adds), then time /v1/matrix/search end to end with distinct queries (no cache hits).
 */

interface IndexFigure {
  readonly runtime: AppRuntime
  readonly rows: number
  readonly wall_s: number
  readonly vectors_per_s: number
  readonly rss_after_mib: number
  readonly peak_rss_mib: number
}

interface SearchFigure {
  readonly runtime: AppRuntime
  readonly searches: number
  readonly p50_ms: number
  readonly p99_ms: number
  readonly max_ms: number
}

function queries(n: number): string[] {
  const out: string[] = []
  const certs = ['OSHA-30', 'OSHA-10', 'Forklift Certified', 'CDL Class A', 'RN License', 'BLS', '']
  for (let i = 0; out.length < n; i++) {
    const role = ROLES[i % ROLES.length] ?? 'electrician'
    const place = PLACES[(i * 7) % PLACES.length]
    const cert = certs[(i * 3) % certs.length]
    out.push(`${role} ${cert} ${place?.city ?? ''} ${i}`.replace(/\s+/g, ' ').trim())
  }
  return out
}

export async function runRetrievalBench(options: { rows: number; searches: number }): Promise<string> {
  const root = findRepoRoot()
  const dir = join(root, 'reports/bench')
  const cache = join(dir, 'cache')
  mkdirSync(cache, { recursive: true })
  const csv = join(cache, `workers-${options.rows}.csv`)
  if (!existsSync(csv)) await writeWorkersCsv({ rows: options.rows, seed: 'bench', out: csv })
  const indexing: IndexFigure[] = []
  const search: SearchFigure[] = []
  for (const runtime of ['node', 'bun'] as const) {
    const app = await launchApp(runtime, { args: ['--log-level', 'warn'] })
    try {
      const pid = app.proc.pid ?? 0
      const up = await uploadFile(`${app.url}/v1/ingest/workers`, csv, 'text/csv')
      if (up.status !== 201) throw new Error(`${runtime} ingest failed: HTTP ${up.status} ${up.text.slice(0, 300)}`)
      const t0 = performance.now()
      const code = await runLakehouseCli(
        ['corpus', 'index', '--dataset', 'workers', '--index', 'workers', '--batch', '1000', '--url', app.url],
        { root },
      )
      const wall = (performance.now() - t0) / 1000
      if (code !== 0) throw new Error(`${runtime} corpus index exited ${code}`)
      const rss = rssOf(pid)
      indexing.push({
        runtime,
        rows: options.rows,
        wall_s: Math.round(wall * 100) / 100,
        vectors_per_s: Math.round(options.rows / wall),
        rss_after_mib: Math.round(rss.rss / MIB),
        peak_rss_mib: Math.round(rss.peak / MIB),
      })
      process.stderr.write(`${runtime}: indexed ${options.rows} in ${wall.toFixed(1)} s, RSS ${(rss.rss / MIB).toFixed(0)} MiB\n`)
      const qs = queries(options.searches + 20)
      for (const q of qs.slice(0, 20)) await postJson(`${app.url}/v1/matrix/search`, { query: q, k: 10 }) // warm-up
      const times: number[] = []
      for (const q of qs.slice(20)) {
        const t = performance.now()
        const r = await postJson(`${app.url}/v1/matrix/search`, { query: q, k: 10 })
        times.push(performance.now() - t)
        if (r.status !== 200) throw new Error(`${runtime} search: HTTP ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`)
      }
      times.sort((a, b) => a - b)
      const r2 = (n: number) => Math.round(n * 100) / 100
      search.push({
        runtime,
        searches: times.length,
        p50_ms: r2(percentile(times, 50)),
        p99_ms: r2(percentile(times, 99)),
        max_ms: r2(times[times.length - 1] ?? 0),
      })
    } finally {
      await app.stop()
    }
  }
  const lines = [
    '# Retrieval benchmark',
    '',
    `- date: ${new Date().toISOString()}`,
    `- rows: ${options.rows}`,
    '- machine: 2 cores (shared; figures vary 2–6× between runs)',
    '',
  ]
  lines.push('## Index the workers (corpus index: SQL pages → embed local/lexical-384 → HNSW add)', '')
  lines.push('| runtime | workers | wall s | vectors/s | server RSS after MiB | peak RSS MiB |', '|---|---:|---:|---:|---:|---:|')
  for (const f of indexing)
    lines.push(`| ${f.runtime} | ${f.rows} | ${f.wall_s} | ${f.vectors_per_s} | ${f.rss_after_mib} | ${f.peak_rss_mib} |`)
  lines.push('', 'Anchor (Go system): ~234 vectors/s, 1.23 GB RSS at 100k (768-d). Target: ≥ 2,000 vectors/s, < 500 MB RSS at 100k.', '')
  lines.push('## /v1/matrix/search end to end (embed + HNSW search + merge), distinct queries', '')
  lines.push('| runtime | searches | p50 ms | p99 ms | max ms |', '|---|---:|---:|---:|---:|')
  for (const s of search) lines.push(`| ${s.runtime} | ${s.searches} | ${s.p50_ms} | ${s.p99_ms} | ${s.max_ms} |`)
  lines.push('', 'Anchor: ~50 ms end to end with a remote embedding model, 1–3 ms search. Target: p50 < 2 ms.', '')
  const md = lines.join('\n')
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  writeFileSync(join(dir, `retrieval-${stamp}.json`), `${JSON.stringify({ indexing, search }, null, 2)}\n`)
  writeFileSync(join(dir, `retrieval-${stamp}.md`), md)
  return md
}
