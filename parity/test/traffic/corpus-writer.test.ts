import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCases } from '../../src/cases/case-loader.ts'
import type { CaseStep, ParityCase } from '../../src/model.ts'
import { CorpusWriteError, type RecordedCorpus, writeRecordedCorpus } from '../../src/traffic/corpus-writer.ts'
import { blogSession, exchange, json, PNG } from './exchanges.ts'

let dir: string
let corpus: RecordedCorpus
let cases: ParityCase[]

const load = (caseDir: string) => loadCases({ caseDir, root: caseDir })
const step = (n: number): CaseStep => {
  const c = cases[n - 1]
  if (c?.steps[0] === undefined) throw new Error(`no case ${n}`)
  return c.steps[0]
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parity-traffic-'))
  corpus = writeRecordedCorpus(blogSession(), { outDir: dir, redactJsonPaths: ['$.password', '$.user.token'] })
  cases = load(dir)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('writeRecordedCorpus', () => {
  it('writes one loadable case per exchange, in request order, tagged recorded', () => {
    expect(corpus.file).toBe(join(dir, 'recorded', 'recorded.yaml'))
    expect(cases.map((c) => c.id)).toEqual([
      'recorded.0001.post-posts',
      'recorded.0002.get-posts-id',
      'recorded.0003.patch-posts-id',
      'recorded.0004.delete-posts-id',
      'recorded.0005.get-posts',
      'recorded.0008.put-avatars-id',
      'recorded.0009.post-login',
      'recorded.0010.get-me',
    ])
    expect(corpus).toMatchObject({ cases: 8, steps: 8, folded: 2, captures: 3, redactions: 4, skipped: [] })
    expect(cases.every((c) => c.component === 'recorded' && c.tags.includes('recorded'))).toBe(true)
    expect(cases[0]?.title).toBe('POST /posts → 201')
  })

  it('turns off the noise replay for methods that change state', () => {
    expect(cases.filter((c) => !c.noiseCheck).map((c) => c.steps[0]?.method)).toEqual(['POST', 'PATCH', 'DELETE', 'PUT', 'POST'])
  })

  it('captures a generated id where it was made and uses it as {{var}} in later paths and JSON', () => {
    expect(step(1).capture).toEqual({ post_id: { from: 'body', path: '$.id' } })
    expect(step(2).path).toBe('/posts/{{post_id}}')
    expect(step(3).path).toBe('/posts/{{post_id}}')
    expect(step(4).path).toBe('/posts/{{post_id}}')
    expect(step(6).path).toBe('/avatars/{{post_id}}')
    // Alone in a JSON value, the placeholder keeps the captured number's type.
    expect(step(3).body).toEqual({ json: { title: 'hello again', author_id: '{{post_id}}', note: 'see post 4821' } })
  })

  it('captures an etag and a session token from the response that produced them', () => {
    expect(step(2).capture).toEqual({ etag: { from: 'header', path: 'etag' } })
    expect(step(3).headers?.['if-match']).toBe('{{etag}}')
    expect(step(7).capture).toEqual({ session: { from: 'body', path: '$.session' } })
    expect(step(8).headers?.['x-session']).toBe('{{session}}')
  })

  it('never replaces part of a value: a query value merely containing the id stays', () => {
    expect(step(5).query).toEqual({ _page: '1', q: '4821x' })
  })

  it('drops Authorization and volatile headers, redacts cookies and configured JSON paths', () => {
    expect(step(1).headers).toEqual({
      accept: 'application/json',
      'content-type': 'application/json',
      cookie: 'REDACTED',
      'x-client': 'web',
    })
    expect(step(1).body).toEqual({ json: { title: 'hello', password: 'REDACTED', draft: true } })
    expect(step(7).body).toEqual({ json: { user: { name: 'ann', token: 'REDACTED' } } })
    expect(readFileSync(corpus.file, 'utf8')).not.toMatch(/live-secret-token|s3cret|tok-123|abc123/)
  })

  it('folds near-duplicates into the first one and records how many as its weight', () => {
    expect(cases.map((c) => c.weight)).toEqual([1, 1, 1, 1, 3, 1, 1, 1])
  })

  it('writes a binary body to a fixture next to the YAML', () => {
    const body = step(6).body
    expect(body).toEqual({ file: join(dir, 'recorded', 'recorded.0008.put-avatars-id.bin') })
    expect(readFileSync(join(dir, 'recorded', 'recorded.0008.put-avatars-id.bin'))).toEqual(PNG)
    expect(step(6).headers?.['content-type']).toBe('image/png')
    expect(corpus.files).toHaveLength(2)
  })

  it('refuses to overwrite an existing corpus unless told to', () => {
    expect(() => writeRecordedCorpus(blogSession(), { outDir: dir })).toThrow(CorpusWriteError)
    expect(() => writeRecordedCorpus(blogSession(), { outDir: dir })).toThrow(/already exists: pass --overwrite/)
    const again = writeRecordedCorpus(blogSession(), { outDir: dir, overwrite: true, fold: false })
    expect(again).toMatchObject({ cases: 10, folded: 0 })
    expect(load(dir).every((c) => c.weight === 1)).toBe(true)
  })

  it('keeps a flow intact: exchanges producing or using a capture never fold', () => {
    const out = mkdtempSync(join(tmpdir(), 'parity-traffic-'))
    try {
      // Two creates of the same shape: each id is used later, so neither folds into the other.
      const flow = [
        exchange('POST', '/posts', 201, { requestBody: json({ title: 'a' }), responseBody: json({ id: 701 }) }),
        exchange('POST', '/posts', 201, { requestBody: json({ title: 'b' }), responseBody: json({ id: 702 }) }),
        exchange('GET', '/posts/701', 200),
        exchange('GET', '/posts/702', 200),
        exchange('GET', '/posts/999', 200),
      ]
      const written = writeRecordedCorpus(flow, { outDir: out, component: 'blog' })
      const loaded = load(out)
      expect(written).toMatchObject({ cases: 5, folded: 0, captures: 2 })
      expect(loaded.map((c) => c.steps[0]?.path)).toEqual(['/posts', '/posts', '/posts/{{post_id}}', '/posts/{{post_id_2}}', '/posts/999'])
      expect(loaded[0]?.id).toBe('blog.0001.post-posts')
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })

  it('does not capture a value the client sent first (an echo is not generated)', () => {
    const out = mkdtempSync(join(tmpdir(), 'parity-traffic-'))
    try {
      const echo = [
        exchange('POST', '/tags', 201, { requestBody: json({ name: 'tag-2026' }), responseBody: json({ name: 'tag-2026' }) }),
        exchange('GET', '/tags/tag-2026', 200),
      ]
      expect(writeRecordedCorpus(echo, { outDir: out })).toMatchObject({ captures: 0 })
      expect(load(out)[1]?.steps[0]?.path).toBe('/tags/tag-2026')
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })

  it('refuses nothing to write and a bad component with a clear message', () => {
    expect(() => writeRecordedCorpus([], { outDir: dir, component: 'other' })).toThrow(/no exchange can become a case/)
    expect(() => writeRecordedCorpus(blogSession(), { outDir: dir, component: 'Bad Name' })).toThrow(/component "Bad Name"/)
  })
})

describe('writeRecordedCorpus edge cases', () => {
  it('sends recorded {{…}} text literally and never takes a media type for a capture', () => {
    const out = mkdtempSync(join(tmpdir(), 'parity-traffic-'))
    try {
      const traffic = [
        exchange('GET', '/formats', 200, { responseBody: json({ preferred: 'application/problem+json' }) }),
        exchange('POST', '/templates', 201, {
          requestHeaders: { 'content-type': 'application/problem+json' },
          requestBody: json({ body: 'Hello {{name}}' }),
        }),
      ]
      expect(writeRecordedCorpus(traffic, { outDir: out })).toMatchObject({ captures: 0 })
      const [, post] = load(out)
      expect(post?.steps[0]).toMatchObject({ template: false, headers: { 'content-type': 'application/problem+json' } })
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})

describe('short generated ids', () => {
  it('captures a short id a write created, but not one a read listed', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'parity-short-ids-'))
    try {
      writeRecordedCorpus(
        [
          exchange('GET', '/posts', 200, { responseBody: json([{ id: 7, title: 'a' }]) }),
          exchange('GET', '/posts/7', 200, { responseBody: json({ id: 7, title: 'a' }) }),
          exchange('POST', '/posts', 201, { requestBody: json({ title: 'new' }), responseBody: json({ id: 21, title: 'new' }) }),
          exchange('GET', '/posts/21', 200, { responseBody: json({ id: 21, title: 'new' }) }),
        ],
        { outDir, fold: false },
      )
      const [list, read, create, readCreated] = load(outDir).map((c) => c.steps[0])
      expect(list?.capture).toBeUndefined()
      expect(read?.path).toBe('/posts/7')
      expect(create?.capture).toEqual({ post_id: { from: 'body', path: '$.id' } })
      expect(readCreated?.path).toBe('/posts/{{post_id}}')
    } finally {
      rmSync(outDir, { recursive: true, force: true })
    }
  })
})

describe('reused ids', () => {
  it('takes the newest write as the source of an id a service hands out again', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'parity-reused-ids-'))
    try {
      const round = () => [
        exchange('POST', '/posts', 201, { requestBody: json({ title: 'new' }), responseBody: json({ id: 21, title: 'new' }) }),
        exchange('GET', '/posts/21', 200, { responseBody: json({ id: 21, title: 'new' }) }),
        exchange('DELETE', '/posts/21', 200, { responseBody: json({}) }),
      ]
      writeRecordedCorpus([...round(), ...round()], { outDir, fold: false })
      const steps = load(outDir).map((c) => c.steps[0])
      expect(steps.map((s) => s?.path)).toEqual([
        '/posts',
        '/posts/{{post_id}}',
        '/posts/{{post_id}}',
        '/posts',
        '/posts/{{post_id_4}}',
        '/posts/{{post_id_4}}',
      ])
      expect(steps[3]?.capture).toEqual({ post_id_4: { from: 'body', path: '$.id' } })
    } finally {
      rmSync(outDir, { recursive: true, force: true })
    }
  })
})

describe('folding and the query', () => {
  it('folds requests differing in query values, not in query parameters', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'parity-fold-query-'))
    try {
      const list = (target: string) => exchange('GET', target, 200, { responseBody: json([]) })
      const written = writeRecordedCorpus(
        [list('/comments?postId=3'), list('/comments?postId=4'), list('/comments?_page=2&_limit=5'), list('/comments')],
        { outDir },
      )
      expect(written).toMatchObject({ cases: 3, folded: 1 })
      expect(load(outDir).map((c) => [c.steps[0]?.query, c.weight])).toEqual([
        [{ postId: '3' }, 2],
        [{ _page: '2', _limit: '5' }, 1],
        [undefined, 1],
      ])
    } finally {
      rmSync(outDir, { recursive: true, force: true })
    }
  })
})
