import { parseArgs } from 'node:util'
import { quoteIdentifier, quoteLiteral } from '@lakehouse/duckdb/sql'
import { isDatasetName } from '@lakehouse/grants/contract'
import { createProgress } from '../progress.ts'
import { authHeaders, CLIENT_AUTH_HELP, reportProblem, reportUnreachable, ServerUnreachable, serverUrl } from './server-url.ts'

export const CORPUS_INDEX_HELP = `lakehouse corpus index --dataset workers --index workers [--batch 500] [--model M] [--url http://127.0.0.1:8080] [--token T]

Reads the dataset through /v1/query/sql in worker_id order, embeds role + skills +
certifications + resume text server-side, and adds every worker to the vector index with
metadata (role, city, state, certifications, reliability_score, years_experience), batched,
with progress. The index records the dataset version it is built from, so the catalog reports it
as stale once that version is no longer live (GET /v1/catalog/datasets/<dataset>:
stale_indexes). Running this on a stale index rebuilds it from the live version (items of rows
no longer present go away); on a current one it resumes an interrupted run after the workers
already indexed.
${CLIENT_AUTH_HELP}`

const COLUMNS = 'worker_id, role, city, state, skills, certifications, reliability_score, years_experience, resume_text'

type Reply = { status: number; text: string; json: () => unknown }
interface Api {
  post(path: string, body: unknown): Promise<Reply>
  put(path: string, body: unknown): Promise<Reply>
  get(path: string): Promise<Reply>
  delete(path: string): Promise<Reply>
}

function api(base: URL, auth: Record<string, string>): Api {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(new URL(path.replace(/^\//, ''), base.href.replace(/\/?$/, '/')), {
      method,
      ...(body === undefined
        ? { headers: auth }
        : { headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) }),
    }).catch((e: unknown) => {
      throw new ServerUnreachable(base, e)
    })
    const text = await res.text()
    return { status: res.status, text, json: () => JSON.parse(text) as unknown }
  }
  return {
    post: (p, b) => call('POST', p, b),
    put: (p, b) => call('PUT', p, b),
    get: (p) => call('GET', p),
    delete: (p) => call('DELETE', p),
  }
}

const list = (v: unknown): string[] =>
  typeof v === 'string'
    ? v
        .split(';')
        .map((x) => x.trim())
        .filter((x) => x !== '')
    : []

/** The text a worker is found by: what they do, what they can do, what they hold, their story. */
export function workerText(row: Record<string, unknown>): string {
  return [row.role, row.skills, row.certifications, row.resume_text].filter((x) => typeof x === 'string' && x !== '').join('\n')
}

export async function corpusIndexCommand(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      dataset: { type: 'string' },
      index: { type: 'string' },
      batch: { type: 'string' },
      model: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help === true) {
    process.stdout.write(`${CORPUS_INDEX_HELP}\n`)
    return 0
  }
  const dataset = values.dataset ?? 'workers'
  const index = values.index ?? dataset
  const batch = Number(values.batch ?? 500)
  if (!isDatasetName(dataset) || !Number.isInteger(batch) || batch < 1 || batch > 1000) {
    process.stderr.write(`lakehouse corpus index: need a dataset name and --batch 1..1000\n\n${CORPUS_INDEX_HELP}\n`)
    return 2
  }
  const base = serverUrl(values.url)
  const http = api(base, authHeaders(values.token))
  try {
    // Which version is live, and whether the index was built from another one (issue 13).
    const described = await http.get(`/v1/catalog/datasets/${dataset}`)
    if (described.status !== 200) return reportProblem('corpus index', described.status, described.text)
    const live = described.json() as { version: number; stale_indexes?: { index: string; version: number }[] }
    const current = await http.get(`/v1/vector/indexes/${index}`)
    if (current.status === 200) {
      const info = current.json() as { size: number; source?: { dataset: string; version: number } }
      const stale =
        info.source === undefined
          ? info.size > 0 // built before indexes recorded their source: its rows may be gone
          : info.source.dataset !== dataset || (live.stale_indexes ?? []).some((s) => s.index === index)
      if (stale) {
        const from = info.source === undefined ? 'an unrecorded version' : `${info.source.dataset} version ${info.source.version}`
        process.stderr.write(`index ${index} was built from ${from}; rebuilding it from ${dataset} version ${live.version}\n`)
        const dropped = await http.delete(`/v1/vector/indexes/${index}`)
        if (dropped.status !== 204 && dropped.status !== 404) return reportProblem('corpus index', dropped.status, dropped.text)
      }
    }
    const total = await http.post('/v1/query/sql', { sql: `SELECT count(*) AS n FROM ${dataset}` })
    if (total.status !== 200) return reportProblem('corpus index', total.status, total.text)
    const rowsTotal = Number((total.json() as { rows: number[][] }).rows[0]?.[0] ?? 0)

    // The index's dimension follows the model: ask the embed service once.
    const probe = await http.post('/v1/embed', { texts: ['probe'], ...(values.model === undefined ? {} : { model: values.model }) })
    if (probe.status !== 200) return reportProblem('corpus index', probe.status, probe.text)
    const { model, dim } = probe.json() as { model: string; dim: number }
    const created = await http.post('/v1/vector/indexes', { name: index, dim, metric: 'cos', model })
    if (created.status !== 201 && created.status !== 200) return reportProblem('corpus index', created.status, created.text)
    // Recorded before the first item: an interrupted run is still known to be built from this version.
    const sourced = await http.put(`/v1/vector/indexes/${index}/source`, { dataset, version: live.version })
    if (sourced.status !== 200) return reportProblem('corpus index', sourced.status, sourced.text)

    // Resume: workers go in in worker_id order, a batch at a time; the index's size tells
    // how many are in, and keyset pagination restarts after the last of them.
    const size = Number((created.json() as { size?: number }).size ?? 0)
    let last: string | undefined
    if (size > 0) {
      const at = await http.post('/v1/query/sql', {
        sql: `SELECT worker_id FROM ${quoteIdentifier(dataset)} ORDER BY worker_id LIMIT 1 OFFSET ${size - 1}`,
      })
      if (at.status !== 200) return reportProblem('corpus index', at.status, at.text)
      last = String((at.json() as { rows: unknown[][] }).rows[0]?.[0] ?? '')
      process.stderr.write(`resuming after ${last} (${size} already indexed)\n`)
    }
    const progress = createProgress(`index ${dataset} → ${index}`, rowsTotal, 'rows')
    let done = size
    const started = performance.now()
    for (;;) {
      const where = last === undefined ? '' : `WHERE worker_id > ${quoteLiteral(last)} `
      const page = await http.post('/v1/query/sql', {
        sql: `SELECT ${COLUMNS} FROM ${quoteIdentifier(dataset)} ${where}ORDER BY worker_id LIMIT ${batch}`,
        limit: batch,
      })
      if (page.status !== 200) return reportProblem('corpus index', page.status, page.text)
      const { columns, rows } = page.json() as { columns: { name: string }[]; rows: unknown[][] }
      if (rows.length === 0) break
      const items = rows.map((r) => {
        const row = Object.fromEntries(columns.map((c, i) => [c.name, r[i]]))
        return {
          id: String(row.worker_id),
          text: workerText(row),
          metadata: {
            role: String(row.role ?? ''),
            city: String(row.city ?? ''),
            state: String(row.state ?? ''),
            certifications: list(row.certifications),
            reliability_score: Number(row.reliability_score ?? 0),
            years_experience: Number(row.years_experience ?? 0),
          },
        }
      })
      const added = await http.post(`/v1/vector/indexes/${index}/items`, { items })
      if (added.status !== 200 && added.status !== 201) return reportProblem('corpus index', added.status, added.text)
      done += items.length
      last = items[items.length - 1]?.id
      progress.update(done)
    }
    const secs = (performance.now() - started) / 1000
    progress.finish(`indexed ${done.toLocaleString('en-US')} workers into ${index} (${model}, ${dim}-d) in ${secs.toFixed(1)} s`)
    return 0
  } catch (e) {
    if (e instanceof ServerUnreachable) return reportUnreachable('corpus index', base, e.cause)
    process.stderr.write(`lakehouse corpus index: ${e instanceof Error ? e.message : String(e)}\n`)
    return 2
  }
}
