import { createReadStream, statSync } from 'node:fs'
import { request } from 'node:http'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { GRANT_HEADER, replaceScope } from '@lakehouse/grants/contract'
import { createProgress, formatBytes } from '../progress.ts'
import { authHeaders, CLIENT_AUTH_HELP, reportProblem, reportUnreachable, ServerUnreachable, serverUrl } from './server-url.ts'

export const INGEST_HELP = `lakehouse ingest <file.csv> --name <dataset> [--grant TOKEN] [--url http://127.0.0.1:8080] [--token T] [--json]

Uploads a CSV to a running server (POST /v1/ingest/<dataset>, text/csv, streamed with its
Content-Length), showing progress. Prints the dataset (id, fingerprint, rows, schema) and
whether it was created, unchanged (identical content) or replaced (rows before → after; the
previous version stays listed in GET /v1/catalog/datasets/<dataset>/versions and can be
restored). --grant sends an escape grant (Lakehouse-Grant header) for a schema change: mint
one with \`lakehouse grant mint --scope ${replaceScope('<dataset>')} --ttl 10m\`.
Exit 0 created, unchanged or replaced, 1 refused (e.g. 409 schema drift), 2 usage or server error.
${CLIENT_AUTH_HELP}`

/** What the CLI adds to a 409 schema drift: how to get past it from here. */
export function driftHint(name: string): string {
  return `  to replace the schema: lakehouse grant mint --scope ${replaceScope(name)} --ttl 10m (on the server's machine), then rerun with --grant <token>`
}

export async function ingestCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      grant: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help === true) {
    process.stdout.write(`${INGEST_HELP}\n`)
    return 0
  }
  const file = positionals[0]
  if (file === undefined || positionals.length > 1 || values.name === undefined) {
    process.stderr.write(`lakehouse ingest: need one file and --name\n\n${INGEST_HELP}\n`)
    return 2
  }
  let size: number
  try {
    size = statSync(file).size
  } catch (e) {
    process.stderr.write(`lakehouse ingest: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`)
    return 2
  }
  const url = new URL(`v1/ingest/${encodeURIComponent(values.name)}`, serverUrl(values.url).href.replace(/\/?$/, '/'))
  const progress = createProgress(`ingest ${basename(file)}`, size, 'bytes')
  const started = performance.now()
  // node:http rather than fetch: a streamed body with a known Content-Length (so the server
  // can refuse an oversize upload up front) and byte-level progress.
  const result = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'text/csv',
          'content-length': String(size),
          ...authHeaders(values.token),
          ...(values.grant === undefined ? {} : { [GRANT_HEADER]: values.grant }),
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      },
    )
    req.on('error', (e) => reject(new ServerUnreachable(url, e)))
    let sent = 0
    const stream = createReadStream(file, { highWaterMark: 1024 * 1024 })
    stream.on('data', (chunk) => {
      sent += chunk.length
      progress.update(sent)
    })
    stream.on('error', reject)
    stream.pipe(req)
  }).catch((e: unknown) => {
    progress.finish('')
    if (e instanceof ServerUnreachable) reportUnreachable('ingest', url, e.cause)
    else process.stderr.write(`lakehouse ingest: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}\n`)
    return undefined
  })
  if (result === undefined) return 2
  const secs = (performance.now() - started) / 1000
  progress.finish(`ingest ${basename(file)}: ${formatBytes(size)} in ${secs.toFixed(2)} s → HTTP ${result.status}`)
  if (result.status >= 400) {
    const code = reportProblem('ingest', result.status, result.text)
    if (result.status === 409 && result.text.includes('CATALOG_SCHEMA_CONFLICT')) process.stderr.write(`${driftHint(values.name)}\n`)
    return code
  }
  if (values.json === true) {
    process.stdout.write(`${result.text}\n`)
    return 0
  }
  const d = JSON.parse(result.text) as {
    dataset_id: string
    name: string
    fingerprint: string
    row_count: number
    schema: { name: string; type: string }[]
    status?: string
    version?: number
    previous?: { version: number; row_count: number }
    stale_indexes?: { index: string; version: number }[]
  }
  const rows = (n: number) => n.toLocaleString('en-US')
  const verb = d.status === 'existing' ? 'unchanged' : d.status === 'replaced' ? 'replaced' : 'created'
  process.stdout.write(`${verb} dataset ${d.name} (${d.dataset_id})${d.version === undefined ? '' : ` version ${d.version}`}\n`)
  const count = d.previous === undefined ? rows(d.row_count) : `${rows(d.previous.row_count)} → ${rows(d.row_count)}`
  process.stdout.write(`  rows: ${count}  fingerprint: ${d.fingerprint.slice(0, 16)}…\n`)
  if (d.previous !== undefined) process.stdout.write(`  previous: version ${d.previous.version} (restorable while it is kept)\n`)
  for (const s of d.stale_indexes ?? []) {
    process.stdout.write(
      `  stale index: ${s.index} (built from version ${s.version}; refresh: lakehouse corpus index --dataset ${d.name} --index ${s.index})\n`,
    )
  }
  process.stdout.write(`  schema: ${d.schema.map((c) => `${c.name} ${c.type}`).join(', ')}\n`)
  return 0
}
