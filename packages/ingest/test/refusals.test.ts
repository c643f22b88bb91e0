import { TEST_ORIGIN } from '@lakehouse/kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { csvRequest, type Harness, harness, send, streamedRequest } from './helpers.ts'

let h: Harness
beforeAll(async () => {
  h = await harness()
})
afterAll(async () => {
  await h.close()
})

async function refused(csv: string, name = 'bad') {
  const r = await send(h.svc, csvRequest(name, csv))
  expect(r.status, JSON.stringify(r.body)).toBeGreaterThanOrEqual(400)
  expect(await h.leftovers()).toEqual([])
  expect(h.store.puts).toEqual([])
  return r
}

describe('malformed CSV → 400 INGEST_MALFORMED_CSV with the line', () => {
  it.each([
    ['an unterminated quote', 3, 'a,b,c\n1,2,3\n4,"oops,6\n7,8,9\n', /unterminated quote/],
    ['an unterminated quote running to the end of the file', 4, 'a,b\n1,2\n3,4\n5,"never closed\n6,7\n', /unterminated quote/],
    ['text after a closing quote', 2, 'a,b,c\n1,"x"y,3\n', /closing quote/],
    ['a short row', 4, 'a,b,c\n1,2,3\n4,5,6\n7,8\n10,11,12\n', /expected 3 fields, found 2/],
    ['a long row', 3, 'a,b,c\n1,2,3\n4,5,6,7\n', /expected 3 fields, found 4/],
    ['a short row with CRLF endings', 3, 'a,b,c\r\n1,2,3\r\n4,5\r\n', /expected 3 fields, found 2/],
    // DuckDB counts records (it would say 3); the physical line, as an editor shows it, is 5.
    ['a short row after a field spanning three lines', 5, 'a,b,c\n1,"x\ny\nz",3\n4,5\n', /expected 3 fields, found 2/],
    ['a short row after blank lines', 5, 'a,b,c\n1,2,3\n\n\n4,5\n', /expected 3 fields, found 2/],
  ])('reports %s at line %i', async (_label, line, csv, reason) => {
    const r = await refused(csv)
    expect([r.status, r.body.code, r.body.line]).toEqual([400, 'INGEST_MALFORMED_CSV', line])
    expect(r.body.detail).toContain(`line ${line}`)
    expect(r.body.reason).toMatch(reason)
  })

  it('finds a short row far past the sample (line 2,502 of a 3,000-row file)', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => (i === 2500 ? `${i},only-two` : `${i},"multi\nline",${i}`))
    const r = await refused(`a,b,c\n${rows.join('\n')}\n`)
    // 2,500 earlier records of two lines each, plus the header.
    expect([r.body.code, r.body.line]).toEqual(['INGEST_MALFORMED_CSV', 1 + 2500 * 2 + 1])
  })

  it('reports invalid UTF-8 with the line from DuckDB', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('a,b\n1,x\n2,'), 0xff, 0xfe, 0x0a])
    const r = await send(h.svc, csvRequest('bad_utf8', bytes))
    expect([r.status, r.body.code, r.body.line]).toEqual([400, 'INGEST_MALFORMED_CSV', 3])
  })
})

describe('header checks', () => {
  it.each([
    ['an empty body', ''],
    ['only a byte-order mark', '\ufeff'],
    ['only line breaks', '\n\r\n\n'],
  ])('answers 400 INGEST_EMPTY for %s', async (_label, csv) => {
    const r = await refused(csv)
    expect([r.status, r.body.code]).toEqual([400, 'INGEST_EMPTY'])
  })

  it('answers 400 INGEST_NO_ROWS for a header without records', async () => {
    for (const csv of ['a,b\n', 'a,b', 'a,b\r\n\r\n', 'a,b\n\n\n']) {
      const r = await refused(csv)
      expect([r.status, r.body.code], JSON.stringify(csv)).toEqual([400, 'INGEST_NO_ROWS'])
    }
  })

  it.each([
    ['duplicate names ignoring case', 'id,Name,name,NAME\n1,2,3,4\n', ['name', 'NAME']],
    ['an empty name', 'id,,x\n1,2,3\n', ['#2']],
    ['a blank name', 'id, \n1,2\n', ['#2']],
    ['an empty first line', '\nid,x\n1,2\n', ['#1']],
    ['a control character in a name', '"a\x1fb",c\n1,2\n', ['a\x1fb']],
    ['a line break in a name', '"a\nb",c\n1,2\n', ['a\nb']],
    ['a name over 1,024 characters (the catalog limit)', `${'n'.repeat(1025)},b\n1,2\n`, [`${'n'.repeat(80)}…`]],
  ])('answers 400 INGEST_BAD_HEADER for %s, naming the columns', async (_label, csv, columns) => {
    const r = await refused(csv)
    expect([r.status, r.body.code, r.body.columns]).toEqual([400, 'INGEST_BAD_HEADER', columns])
  })

  it('answers INGEST_BAD_HEADER past maxColumns and maxHeaderBytes, and 400 for an unterminated header', async () => {
    const narrow = await harness({ maxColumns: 2, maxHeaderBytes: 1024 })
    try {
      const wide = await send(narrow.svc, csvRequest('wide', 'a,b,c\n1,2,3\n'))
      expect(wide.body.code, JSON.stringify(wide.body)).toBe('INGEST_BAD_HEADER')
      const long = `${'x'.repeat(3000)}\n1\n`
      expect((await send(narrow.svc, csvRequest('long', long))).body.code).toBe('INGEST_BAD_HEADER')
    } finally {
      await narrow.close()
    }
    const r = await refused('"a,b\n1,2\n')
    expect([r.body.code, r.body.line]).toEqual(['INGEST_MALFORMED_CSV', 1])
  })
})

describe('request refusals', () => {
  it.each(['Bad', '1abc', 'a-b', 'x'.repeat(64), '_x'])('answers 400 INGEST_INVALID_NAME for %j', async (name) => {
    const r = await refused('a\n1\n', encodeURIComponent(name))
    expect([r.status, r.body.code]).toEqual([400, 'INGEST_INVALID_NAME'])
  })

  it.each([
    ['application/json', '{}'],
    ['text/plain', 'a\n1\n'],
    ['text/csv; charset=latin1', 'a\n1\n'],
    ['', 'a\n1\n'],
  ])('answers 415 INGEST_UNSUPPORTED_MEDIA_TYPE for %j', async (contentType, body) => {
    const headers: Record<string, string> = contentType === '' ? {} : { 'content-type': contentType }
    const req = new Request(`${TEST_ORIGIN}/v1/ingest/x`, { method: 'POST', headers, body: new Blob([body]) })
    const r = await send(h.svc, req)
    expect([r.status, r.body.code]).toEqual([415, 'INGEST_UNSUPPORTED_MEDIA_TYPE'])
  })

  it('answers 413 up front from Content-Length, before reading the body', async () => {
    const small = await harness({ maxBytes: 1024 })
    try {
      let pulled = 0
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          pulled++
          if (pulled > 1) c.close()
          else c.enqueue(new Uint8Array(10))
        },
      })
      const req = new Request(`${TEST_ORIGIN}/v1/ingest/big`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', 'content-length': '4096' },
        body,
        duplex: 'half',
      } as RequestInit)
      const r = await send(small.svc, req)
      expect([r.status, r.body.code, r.body.limit_bytes]).toEqual([413, 'INGEST_TOO_LARGE', 1024])
      expect(await small.leftovers()).toEqual([])
      expect(small.store.puts).toEqual([])
    } finally {
      await small.close()
    }
  })

  it('answers 413 while streaming when a body without Content-Length grows past maxBytes, and removes the partial file', async () => {
    const small = await harness({ maxBytes: 64 * 1024 })
    try {
      const bytes = new TextEncoder().encode(`a,b\n${'1,2\n'.repeat(40_000)}`)
      const r = await send(small.svc, streamedRequest('big', bytes, 'text/csv', 4096))
      expect([r.status, r.body.code]).toEqual([413, 'INGEST_TOO_LARGE'])
      expect(r.headers.get('connection')).toBeNull()
      expect(await small.leftovers()).toEqual([])
      // Far past the drain budget the answer asks the client to close the connection.
      const huge = new Uint8Array(10 * 1024 * 1024)
      const closing = await send(small.svc, streamedRequest('big', huge, 'text/csv', 256 * 1024))
      expect([closing.status, closing.headers.get('connection')]).toEqual([413, 'close'])
      expect(await small.leftovers()).toEqual([])
      expect(small.store.puts).toEqual([])
    } finally {
      await small.close()
    }
  })

  it('answers 503 INGEST_BUSY with Retry-After when every slot is taken', async () => {
    const one = await harness({ slots: 1, retryAfterSeconds: 5 })
    try {
      let release: () => void = () => {}
      const gate = new Promise<void>((resolve) => {
        release = resolve
      })
      // A body that stalls until released keeps the only slot busy.
      const stalled = new ReadableStream<Uint8Array>({
        async pull(c) {
          await gate
          c.enqueue(new TextEncoder().encode('a\n1\n'))
          c.close()
        },
      })
      const first = one.svc.handler(
        new Request(`${TEST_ORIGIN}/v1/ingest/slow`, {
          method: 'POST',
          headers: { 'content-type': 'text/csv' },
          body: stalled,
          duplex: 'half',
        } as RequestInit),
      )
      await new Promise((resolve) => setTimeout(resolve, 20))
      const busy = await send(one.svc, csvRequest('fast', 'a\n1\n'))
      expect([busy.status, busy.body.code, busy.headers.get('retry-after')]).toEqual([503, 'INGEST_BUSY', '5'])
      await expect(one.svc.ingestFile('fast', '/nonexistent')).rejects.toMatchObject({ code: 'INGEST_BUSY' })
      release()
      expect((await first).status).toBe(201)
      expect((await send(one.svc, csvRequest('fast', 'a\n1\n'))).status).toBe(201)
    } finally {
      await one.close()
    }
  })

  it('answers 503 once closed', async () => {
    const closing = await harness()
    await closing.svc.close()
    const r = await send(closing.svc, csvRequest('late', 'a\n1\n'))
    expect([r.status, r.body.code]).toEqual([503, 'INGEST_BUSY'])
    await closing.close()
  })
})
