import { readFile } from 'node:fs/promises'
import { isProblem } from '@lakehouse/kit'
import { describe, expect, it } from 'vitest'
import { type CsvRecordInfo, createCsvTokenizer } from '../src/csv-tokenizer.ts'
import { ingestDefaults, ingestErrors, resolveIngestConfig } from '../src/index.ts'

function records(text: string, chunk = text.length || 1): { fields: string[] | number; line: number }[] | { fault: number } {
  const tok = createCsvTokenizer()
  const out: { fields: string[] | number; line: number }[] = []
  const on = (r: CsvRecordInfo) => {
    out.push({ fields: r.fields?.map((f) => new TextDecoder().decode(f)) ?? r.fieldCount, line: r.line })
    return true
  }
  const bytes = new TextEncoder().encode(text)
  for (let i = 0; i < bytes.length; i += chunk) {
    const res = tok.feed(bytes.subarray(i, i + chunk), on)
    if (res.fault !== undefined) return { fault: res.fault.line }
  }
  const end = tok.finish(on)
  return end.fault === undefined ? out : { fault: end.fault.line }
}

describe('csv tokenizer', () => {
  it('splits records on LF, CRLF and lone CR, counting physical lines, whatever the chunking', () => {
    const text = 'a,"b\r\nc"\r\n1,2\r3,4\n\n5,"x""y"'
    const expected = [
      { fields: ['a', 'b\r\nc'], line: 1 },
      { fields: 2, line: 3 },
      { fields: 2, line: 4 },
      { fields: 2, line: 6 },
    ]
    for (const chunk of [1, 2, 3, 5, 100]) expect(records(text, chunk), `chunk ${chunk}`).toEqual(expected)
  })

  it('reports the line of an unclosed quote and of text after a closing quote', () => {
    expect(records('a\n1\n"open\n\n')).toEqual({ fault: 3 })
    expect(records('a,b\n"x"y,1\n')).toEqual({ fault: 2 })
  })

  it('keeps a trailing empty field and an empty first record', () => {
    expect(records('a,b,\n')).toEqual([{ fields: ['a', 'b', ''], line: 1 }])
    expect(records('\nx\n')).toEqual([
      { fields: [''], line: 1 },
      { fields: 1, line: 2 },
    ])
  })
})

describe('config', () => {
  it('has the documented defaults', () => {
    expect(resolveIngestConfig()).toEqual(ingestDefaults)
    expect(ingestDefaults).toMatchObject({ maxBytes: 256 * 1024 * 1024, sampleRows: 1000, slots: 2, retryAfterSeconds: 5 })
  })

  it.each([
    [{ slots: 0 }, 'ingest.slots'],
    [{ sampleRows: 1.5 }, 'ingest.sampleRows'],
    [{ memoryLimit: 'lots' }, 'ingest.memoryLimit'],
    [{ csvBufferBytes: 1024 }, 'ingest.csvBufferBytes'],
  ])('throws CONFIG_INVALID for %j', (input, key) => {
    try {
      resolveIngestConfig(input)
      expect.unreachable()
    } catch (err) {
      expect(isProblem(err) && [err.code, err.extensions?.key]).toEqual(['CONFIG_INVALID', key])
    }
  })
})

describe('error registry', () => {
  it('describes every code and documents it in docs/ingest.md', async () => {
    const doc = await readFile(new URL('../../../docs/ingest.md', import.meta.url), 'utf8')
    for (const [code, spec] of Object.entries(ingestErrors.specs)) {
      expect(spec.description.length, code).toBeGreaterThan(20)
      expect(doc, code).toContain(`\`${code}\``)
    }
    expect(Object.keys(ingestErrors.specs).every((c) => c.startsWith('INGEST_'))).toBe(true)
  })
})
