import { csvField } from '@lakehouse/corpus'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { csvRequest, type Harness, harness, objectBytes, queryParquet, send, streamedRequest } from './helpers.ts'

let h: Harness
beforeAll(async () => {
  h = await harness()
})
afterAll(async () => {
  await h.close()
})

// Values that need every RFC 4180 rule: separators, doubled quotes, line breaks of both kinds,
// leading and trailing spaces, non-ASCII, and a quote that is not at the start of a field.
const TRICKY = [
  'plain',
  'comma, inside',
  'say "hello"',
  '"fully quoted"',
  'line one\nline two',
  'crlf\r\ninside',
  '  padded  ',
  'naïve café — 東京 🚀',
  'a"b',
  ',',
  '""',
  'trailing\n',
]

async function roundTrip(name: string, csv: string, chunkSize?: number): Promise<{ text: string | null }[]> {
  const bytes = new TextEncoder().encode(csv)
  const req = chunkSize === undefined ? csvRequest(name, bytes) : streamedRequest(name, bytes, 'text/csv', chunkSize)
  const r = await send(h.svc, req)
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  const rows = await queryParquet(objectBytes(h, r.body.object_key), 'SELECT n, text FROM t ORDER BY n')
  return rows.map(([, text]) => ({ text }))
}

describe('RFC 4180 quoting', () => {
  it('round-trips quoted commas, doubled quotes and newlines exactly', async () => {
    // Every field quoted, whether it needs it or not (the other tests quote only when needed).
    const csv = `"n","text"\n${TRICKY.map((t, i) => `"${i}","${t.replaceAll('"', '""')}"\n`).join('')}`
    expect(await roundTrip('tricky', csv)).toEqual(TRICKY.map((text) => ({ text })))
  })

  it('reads CRLF record endings and a last record without a line break', async () => {
    const csv = `n,text\r\n${TRICKY.map((t, i) => `${i},${csvField(t)}`).join('\r\n')}`
    expect(await roundTrip('tricky_crlf', csv)).toEqual(TRICKY.map((text) => ({ text })))
  })

  it('gives the same values when the body arrives one byte at a time', async () => {
    const csv = `n,text\n${TRICKY.map((t, i) => `${i},${csvField(t)}\n`).join('')}`
    expect(await roundTrip('tricky_bytes', csv, 1)).toEqual(TRICKY.map((text) => ({ text })))
  })

  it('strips a UTF-8 byte-order mark from the first header name', async () => {
    const r = await send(h.svc, csvRequest('bom', '\ufeffid,name\n1,x\n'))
    expect(r.body.schema.map((c: { name: string }) => c.name)).toEqual(['id', 'name'])
  })

  it('keeps header names exactly, including quoted commas, quotes and spaces', async () => {
    const r = await send(h.svc, csvRequest('odd_names', '"a,b","say ""x""", spaced ,Ünï\n1,2,3,4\n'))
    expect(r.status).toBe(201)
    expect(r.body.schema.map((c: { name: string }) => c.name)).toEqual(['a,b', 'say "x"', ' spaced ', 'Ünï'])
    const rows = await queryParquet(objectBytes(h, r.body.object_key), 'SELECT "a,b", "say ""x""", " spaced ", "Ünï" FROM t')
    expect(rows).toEqual([['1', '2', '3', '4']])
  })

  it('reads an empty field, quoted or not, as NULL', async () => {
    const r = await send(h.svc, csvRequest('empties', 'a,b,c\n1,,x\n2,"",y\n,3,\n'))
    const rows = await queryParquet(objectBytes(h, r.body.object_key), 'SELECT a, b, c FROM t ORDER BY a NULLS LAST')
    expect(rows).toEqual([
      ['1', null, 'x'],
      ['2', null, 'y'],
      [null, '3', null],
    ])
  })
})
