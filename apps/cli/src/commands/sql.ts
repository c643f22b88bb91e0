import { parseArgs } from 'node:util'
import { authHeaders, CLIENT_AUTH_HELP, reportProblem, reportUnreachable, serverUrl } from './server-url.ts'

export const SQL_HELP = `lakehouse sql "<query>" [--limit N] [--url http://127.0.0.1:8080] [--token T] [--json]

Runs a read-only query on a running server (POST /v1/query/sql) and prints the rows as a
table (or the raw JSON with --json). Exit 0 ok, 1 refused (400/401/403/504), 2 usage or server error.
${CLIENT_AUTH_HELP}`

function cell(v: unknown): string {
  if (v === null || v === undefined) return 'NULL'
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v)
  return s.replace(/\s+/g, ' ').slice(0, 60)
}

export async function sqlCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: true,
    options: {
      limit: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help === true) {
    process.stdout.write(`${SQL_HELP}\n`)
    return 0
  }
  const sql = positionals.join(' ').trim()
  if (sql === '') {
    process.stderr.write(`lakehouse sql: need a query\n\n${SQL_HELP}\n`)
    return 2
  }
  const limit = values.limit === undefined ? undefined : Number(values.limit)
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    process.stderr.write('lakehouse sql: --limit must be a positive integer\n')
    return 2
  }
  const url = new URL('v1/query/sql', serverUrl(values.url).href.replace(/\/?$/, '/'))
  let res: Response
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders(values.token) },
      body: JSON.stringify({ sql, ...(limit === undefined ? {} : { limit }) }),
    })
  } catch (e) {
    return reportUnreachable('sql', url, e)
  }
  const text = await res.text()
  if (!res.ok) return reportProblem('sql', res.status, text)
  if (values.json === true) {
    process.stdout.write(`${text}\n`)
    return 0
  }
  const r = JSON.parse(text) as { columns: { name: string; type: string }[]; rows: unknown[][]; row_count: number; truncated: boolean }
  const table = [r.columns.map((c) => c.name), ...r.rows.map((row) => row.map(cell))]
  const widths = r.columns.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)))
  const fmt = (row: string[]) => row.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ')
  process.stdout.write(`${fmt(table[0] ?? [])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`)
  for (const row of table.slice(1)) process.stdout.write(`${fmt(row)}\n`)
  process.stdout.write(`(${r.row_count} row${r.row_count === 1 ? '' : 's'}${r.truncated ? ', truncated: raise --limit' : ''})\n`)
  return 0
}
