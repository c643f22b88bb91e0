import { createReadStream, statSync } from 'node:fs'
import { request } from 'node:http'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { createProgress, formatBytes } from '../progress.ts'
import { authHeaders, CLIENT_AUTH_HELP, reportProblem, serverUrl } from './server-url.ts'

export const INGEST_HELP = `lakehouse ingest <file.csv> --name <dataset> [--url http://127.0.0.1:8080] [--token T] [--json]

Uploads a CSV to a running server (POST /v1/ingest/<dataset>, text/csv, streamed with its
Content-Length), showing progress. Prints the dataset (id, fingerprint, rows, schema).
Exit 0 created or unchanged, 1 refused (e.g. 409 schema drift), 2 usage or server error.
${CLIENT_AUTH_HELP}`

export async function ingestCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
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
      { method: 'POST', headers: { 'content-type': 'text/csv', 'content-length': String(size), ...authHeaders(values.token) } },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      },
    )
    req.on('error', reject)
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
    process.stderr.write(`lakehouse ingest: cannot reach ${url.origin}: ${e instanceof Error ? e.message : String(e)}\n`)
    return undefined
  })
  if (result === undefined) return 2
  const secs = (performance.now() - started) / 1000
  progress.finish(`ingest ${basename(file)}: ${formatBytes(size)} in ${secs.toFixed(2)} s → HTTP ${result.status}`)
  if (result.status >= 400) return reportProblem('ingest', result.status, result.text)
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
  }
  process.stdout.write(`${d.status === 'existing' ? 'unchanged' : 'created'} dataset ${d.name} (${d.dataset_id})\n`)
  process.stdout.write(`  rows: ${d.row_count.toLocaleString('en-US')}  fingerprint: ${d.fingerprint.slice(0, 16)}…\n`)
  process.stdout.write(`  schema: ${d.schema.map((c) => `${c.name} ${c.type}`).join(', ')}\n`)
  return 0
}
