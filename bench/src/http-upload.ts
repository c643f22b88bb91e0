import { createReadStream, statSync } from 'node:fs'
import { request } from 'node:http'

/** Streams a file as the body with its Content-Length (what `lakehouse ingest` does). */
export function uploadFile(url: string, file: string, contentType: string): Promise<{ status: number; text: string }> {
  const size = statSync(file).size
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': contentType, 'content-length': String(size) } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
    })
    req.on('error', reject)
    createReadStream(file, { highWaterMark: 1024 * 1024 })
      .on('error', reject)
      .pipe(req)
  })
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, json: await res.json() }
}
