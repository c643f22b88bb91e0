import { isProblem } from '@lakehouse/kit'
import { TEST_ORIGIN } from '@lakehouse/kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMultipartFileReader, MAX_PART_HEADER_BYTES, multipartBoundary } from '../src/multipart-reader.ts'
import { chunked, type Harness, harness, multipartBytes, objectBytes, queryParquet, send, streamedRequest } from './helpers.ts'

const BOUNDARY = '----lakehouseBoundary7MA4YWxkTrZu0gW'
const decoder = new TextDecoder()

/** Feeds `body` to a reader in chunks of `size` and returns the file bytes it extracted. */
async function extract(body: Uint8Array, size: number, boundary = BOUNDARY): Promise<string> {
  const out: Uint8Array[] = []
  const reader = createMultipartFileReader(boundary, 'file', async (bytes) => {
    out.push(bytes.slice())
  })
  for (let i = 0; i < body.length; i += size) await reader.push(body.subarray(i, i + size))
  reader.end()
  return decoder.decode(Buffer.concat(out))
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (e: unknown) => (isProblem(e) ? e.code : String(e)),
  )
}

// File content that contains everything that looks like, but is not, a delimiter.
const TRICKY_CSV = `a,b\r\n1,"--${BOUNDARY.slice(0, 10)}"\r\n2,"\r\n-"\r\n3,--${BOUNDARY}x\n4,"\r\n--${BOUNDARY.slice(0, -1)}"\r\n`

describe('multipart reader', () => {
  const body = multipartBytes(
    BOUNDARY,
    [
      { name: 'note', content: 'before' },
      { name: 'file', filename: 'data.csv', content: TRICKY_CSV },
      { name: 'after', content: `after with --${BOUNDARY.slice(0, 5)}` },
    ],
    'a preamble that is ignored\r\n',
  )

  it('extracts the file part exactly for every chunk size from 1 to 80 bytes, boundaries split anywhere', async () => {
    for (let size = 1; size <= 80; size++) expect(await extract(body, size), `chunk size ${size}`).toBe(TRICKY_CSV)
    expect(await extract(body, body.length)).toBe(TRICKY_CSV)
  })

  it('reads a body that opens with the delimiter, a quoted boundary and a part without headers', async () => {
    const bare = new TextEncoder().encode(
      `--b1\r\n\r\nno headers\r\n--b1\r\nContent-Disposition: form-data; name=file\r\n\r\nx\n1\n\r\n--b1--`,
    )
    expect(await extract(bare, 3, 'b1')).toBe('x\n1\n')
    expect(multipartBoundary('multipart/form-data; boundary="a b:c"')).toBe('a b:c')
    expect(multipartBoundary('multipart/form-data; charset=utf-8; BOUNDARY=xyz')).toBe('xyz')
  })

  it('takes the first part named "file" and ignores fields named like filename=', async () => {
    const two = multipartBytes(BOUNDARY, [
      { name: 'other', filename: 'file', content: 'not me' },
      { name: 'file', content: 'first' },
      { name: 'file', content: 'second' },
    ])
    expect(await extract(two, 5)).toBe('first')
  })

  it('refuses a body without the file part, truncated bodies and missing boundaries', async () => {
    const noFile = multipartBytes(BOUNDARY, [{ name: 'note', content: 'x' }])
    expect(await codeOf(extract(noFile, 7))).toBe('INGEST_MISSING_FILE')
    // Cut inside the file part: the CSV may be incomplete, so it is refused.
    const cut = decoder.decode(body).indexOf('3,--')
    expect(await codeOf(extract(body.subarray(0, cut), 7))).toBe('INGEST_MALFORMED_MULTIPART')
    // Cut after the file part's closing delimiter: the file is whole, the rest does not matter.
    expect(await extract(body.subarray(0, body.length - 40), 7)).toBe(TRICKY_CSV)
    expect(await codeOf(extract(new TextEncoder().encode('no delimiter at all'), 4))).toBe('INGEST_MALFORMED_MULTIPART')
    const junk = new TextEncoder().encode(`--${BOUNDARY}junk\r\n`)
    expect(await codeOf(extract(junk, 4))).toBe('INGEST_MALFORMED_MULTIPART')
    expect(await codeOf(Promise.resolve().then(() => multipartBoundary('multipart/form-data')))).toBe('INGEST_MALFORMED_MULTIPART')
  })
})

describe('POST /v1/ingest/{name} with multipart/form-data', () => {
  let h: Harness
  beforeAll(async () => {
    h = await harness()
  })
  afterAll(async () => {
    await h.close()
  })

  it('ingests a streamed multipart body arriving in 7-byte chunks', async () => {
    const csv = 'n,text\n1,"x, y"\n2,"line\nbreak"\n'
    const bytes = multipartBytes(BOUNDARY, [
      { name: 'note', content: 'hi' },
      { name: 'file', filename: 'w.csv', content: csv },
    ])
    const r = await send(h.svc, streamedRequest('streamed', bytes, `multipart/form-data; boundary=${BOUNDARY}`, 7))
    expect(r.status).toBe(201)
    expect(await queryParquet(objectBytes(h, r.body.object_key), 'SELECT n, text FROM t ORDER BY n')).toEqual([
      ['1', 'x, y'],
      ['2', 'line\nbreak'],
    ])
  })

  it('answers 400 INGEST_MISSING_FILE and INGEST_MALFORMED_MULTIPART, leaving no temp files', async () => {
    const form = new FormData()
    form.append('data', new Blob(['a\n1\n']), 'a.csv')
    const missing = await send(h.svc, new Request(`${TEST_ORIGIN}/v1/ingest/nofile`, { method: 'POST', body: form }))
    expect([missing.status, missing.body.code]).toEqual([400, 'INGEST_MISSING_FILE'])
    const noBoundary = await send(
      h.svc,
      new Request(`${TEST_ORIGIN}/v1/ingest/nob`, { method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: 'x' }),
    )
    expect([noBoundary.status, noBoundary.body.code]).toEqual([400, 'INGEST_MALFORMED_MULTIPART'])
    expect(await h.leftovers()).toEqual([])
  })

  it('counts the whole multipart body against maxBytes', async () => {
    const small = await harness({ maxBytes: 1000 })
    try {
      const csv = `a\n${'1\n'.repeat(600)}`
      const bytes = multipartBytes(BOUNDARY, [{ name: 'file', content: csv }])
      const r = await send(small.svc, streamedRequest('big', bytes, `multipart/form-data; boundary=${BOUNDARY}`, 100))
      expect([r.status, r.body.code]).toEqual([413, 'INGEST_TOO_LARGE'])
      expect(await small.leftovers()).toEqual([])
    } finally {
      await small.close()
    }
  })
})

/**
 * A form whose file part carries `headerBytes` bytes of part headers (from the end of the
 * boundary line to the blank line, exclusive) and `padding` bytes of transport padding after
 * its boundary, then the CSV `a\n1\n`.
 */
function paddedForm(headerBytes: number, padding = 0): Uint8Array {
  const disposition = 'Content-Disposition: form-data; name="file"; filename="x.csv"\r\nX-Pad: '
  const header = disposition + 'p'.repeat(headerBytes - disposition.length)
  return new TextEncoder().encode(`--${BOUNDARY}${' '.repeat(padding)}\r\n${header}\r\n\r\na\n1\n\r\n--${BOUNDARY}--\r\n`)
}

describe('issue 12: the part-header limit holds whatever the chunking', () => {
  const sizes = (body: Uint8Array) => [1, 2, 3, 7, 64, 1000, 4096, MAX_PART_HEADER_BYTES - 1, MAX_PART_HEADER_BYTES, 65_536, body.length]

  it('refuses a 100 KB part header with INGEST_MALFORMED_MULTIPART for every chunk size, one chunk holding everything included', async () => {
    const body = paddedForm(100_000)
    for (const size of sizes(body)) expect(await codeOf(extract(body, size)), `chunk size ${size}`).toBe('INGEST_MALFORMED_MULTIPART')
  })

  it('accepts headers of exactly the limit and refuses one byte more, for every chunk size', async () => {
    const atLimit = paddedForm(MAX_PART_HEADER_BYTES)
    const over = paddedForm(MAX_PART_HEADER_BYTES + 1)
    for (const size of sizes(over)) {
      expect(await extract(atLimit, size), `chunk size ${size}`).toBe('a\n1\n')
      expect(await codeOf(extract(over, size)), `chunk size ${size}`).toBe('INGEST_MALFORMED_MULTIPART')
    }
  })

  it('holds transport padding after a boundary to the same limit', async () => {
    for (const size of [1, 5, 4096, 100_000]) {
      expect(await extract(paddedForm(100, MAX_PART_HEADER_BYTES), size), `chunk size ${size}`).toBe('a\n1\n')
      expect(await codeOf(extract(paddedForm(100, MAX_PART_HEADER_BYTES + 1), size)), `chunk size ${size}`).toBe(
        'INGEST_MALFORMED_MULTIPART',
      )
    }
  })

  it('answers 400 INGEST_MALFORMED_MULTIPART through the handler, in one chunk (as Bun delivered it) or in 64 KiB chunks (as Node did)', async () => {
    const h = await harness()
    try {
      const body = paddedForm(100_000)
      for (const size of [body.length, 65_536]) {
        const req = new Request(`${TEST_ORIGIN}/v1/ingest/long_header`, {
          method: 'POST',
          headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
          body: chunked(body, size),
          duplex: 'half',
        } as RequestInit)
        const r = await send(h.svc, req)
        expect([r.status, r.body.code], `chunk size ${size}`).toEqual([400, 'INGEST_MALFORMED_MULTIPART'])
      }
      expect(h.store.puts).toEqual([])
      expect(await h.leftovers()).toEqual([])
    } finally {
      await h.close()
    }
  })
})
