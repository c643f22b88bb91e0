import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { type Runtime, startServer } from './servers.ts'

/**
 * Issue 12 on real servers: a tiny wide CSV must not eat the server (type inference was
 * quadratic in the width: 2,000 columns of one row, no answer in 30 s, RSS past 13.5 GB on Node
 * and 5 GB on Bun), and a multipart part header over 16 KiB must get the same refusal on both
 * runtimes (Bun handed the reader the whole body in one chunk, where the limit was not checked).
 */
const RUNTIMES: readonly Runtime[] = ['node', 'bun']

interface Answer {
  readonly status: number
  readonly body: string
}

/** node:http with the whole body in one write: the server's runtime decides how it is chunked. */
function post(base: string, path: string, contentType: string, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method: 'POST', headers: { 'content-type': contentType }, timeout: 30_000 }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
    })
    req.on('timeout', () => req.destroy(new Error(`POST ${path} timed out`)))
    req.on('error', reject)
    req.end(body)
  })
}

/** The server's peak resident set so far (VmHWM), in MiB: covers the whole request, not one sample. */
function peakRssMib(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1]
  if (kb === undefined) throw new Error(`no VmHWM in /proc/${pid}/status`)
  return Number(kb) / 1024
}

function wideCsv(columns: number): Buffer {
  const header = Array.from({ length: columns }, (_, i) => `c${i}`).join(',')
  return Buffer.from(`${header}\n${Array.from({ length: columns }, () => '1').join(',')}\n`)
}

const BOUNDARY = 'lakehouse-issue-12'

/** A form whose file part has `headerBytes` of part headers (one long X-Pad line). */
function longHeaderForm(headerBytes: number): Buffer {
  const disposition = 'Content-Disposition: form-data; name="file"; filename="x.csv"\r\nX-Pad: '
  const header = disposition + 'p'.repeat(headerBytes - disposition.length)
  return Buffer.from(`--${BOUNDARY}\r\n${header}\r\n\r\na,b\n1,2\n\r\n--${BOUNDARY}--\r\n`)
}

describe.each(RUNTIMES)('issue 12: %s ingest limits', (runtime) => {
  it('answers the 2,000-column one-row CSV (15 KB) with 201 in under 10 s, server peak RSS under 1 GB', async () => {
    const s = await startServer(runtime)
    try {
      const body = wideCsv(2000)
      expect(body.length).toBeLessThan(16 * 1024)
      const started = performance.now()
      const r = await post(s.url, '/v1/ingest/wide', 'text/csv', body)
      const seconds = (performance.now() - started) / 1000
      expect(r.status, r.body.slice(0, 300)).toBe(201)
      expect(seconds).toBeLessThan(10)
      const schema = (JSON.parse(r.body) as { schema: { type: string }[] }).schema
      expect(schema).toHaveLength(2000)
      expect(schema.every((c) => c.type === 'BIGINT')).toBe(true)
      expect(peakRssMib(s.proc.pid)).toBeLessThan(1024)
    } finally {
      await s.stop()
    }
  })

  it('refuses a 100 KB multipart part header with 400 INGEST_MALFORMED_MULTIPART, and still serves a normal form', async () => {
    const s = await startServer(runtime)
    try {
      const refused = await post(s.url, '/v1/ingest/long_header', `multipart/form-data; boundary=${BOUNDARY}`, longHeaderForm(100_000))
      expect(refused.status, refused.body.slice(0, 300)).toBe(400)
      expect(JSON.parse(refused.body)).toMatchObject({ code: 'INGEST_MALFORMED_MULTIPART', status: 400 })
      const fine = await post(s.url, '/v1/ingest/short_header', `multipart/form-data; boundary=${BOUNDARY}`, longHeaderForm(200))
      expect(fine.status, fine.body.slice(0, 300)).toBe(201)
    } finally {
      await s.stop()
    }
  })
})
