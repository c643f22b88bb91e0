import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { loadCases } from '../../src/cases/case-loader.ts'
import { writeRecordedCorpus } from '../../src/traffic/corpus-writer.ts'
import { HarFormatError, importHar, readHar } from '../../src/traffic/har.ts'
import { harMain } from '../../src/traffic/har-cli.ts'

const HAR_FILE = fileURLToPath(new URL('./fixtures/chromium-devtools.har', import.meta.url))
const HAR = readFileSync(HAR_FILE, 'utf8')
const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'parity-har-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('readHar on a Chromium devtools export', () => {
  const har = readHar(HAR)

  it('keeps the most frequent origin and says why each other entry was skipped', () => {
    expect(har.origin).toBe('https://api.blog.test')
    expect(har.entries).toBe(10)
    expect(har.skipped.map((s) => `${s.entry} ${s.reason}`)).toEqual([
      '2 other origin https://fonts.gstatic.com',
      '7 status 0 (blocked or cancelled, never answered)',
      '8 data: is not HTTP',
    ])
    expect(har.exchanges.map((e) => `${e.method} ${e.target} ${e.status}`)).toEqual([
      'GET /posts?_page=1&_limit=2 200',
      'POST /posts 201',
      'GET /posts/7301 200',
      'GET /posts/7301/cover.png 200',
      'PATCH /posts/7301 200',
      'DELETE /posts/7301 204',
      'GET /posts?_page=2&_limit=2 200',
    ])
  })

  it('reads headers lower-case without HTTP/2 pseudo headers, bodies by kind', () => {
    const [list, create, , cover] = har.exchanges
    expect(Object.keys(create?.requestHeaders ?? {}).some((h) => h.startsWith(':'))).toBe(false)
    expect(create?.requestHeaders['content-type']).toBe('application/json')
    expect(create?.requestBody.kind).toBe('json')
    expect(list?.responseBody).toMatchObject({ kind: 'json' })
    expect(cover?.responseBody).toMatchObject({ kind: 'binary', size: 70 })
    expect(create?.responseHeaders.location).toBe('/posts/7301')
    expect(create?.durationMs).toBe(23.5)
  })

  it('keeps another origin when asked', () => {
    expect(importHar(HAR, { origin: 'https://fonts.gstatic.com/anything' }).map((e) => e.target)).toEqual([
      '/s/roboto/v32/KFOmCnqEu92Fr1Mu4mxK.woff2',
    ])
  })

  it('becomes a loadable corpus with captures, redaction and a folded list page', () => {
    const out = tmp()
    const corpus = writeRecordedCorpus(har.exchanges, { outDir: out, redactJsonPaths: ['$.password'] })
    const cases = loadCases({ caseDir: out, root: out })
    expect(cases.map((c) => `${c.id} w${c.weight}`)).toEqual([
      'recorded.0001.get-posts w2',
      'recorded.0002.post-posts w1',
      'recorded.0003.get-posts-id w1',
      'recorded.0004.get-posts-id-cover-png w1',
      'recorded.0005.patch-posts-id w1',
      'recorded.0006.delete-posts-id w1',
    ])
    const steps = cases.map((c) => c.steps[0])
    expect(steps[1]?.capture).toEqual({ post_id: { from: 'body', path: '$.id' } })
    expect(steps.slice(2).map((s) => s?.path)).toEqual([
      '/posts/{{post_id}}',
      '/posts/{{post_id}}/cover.png',
      '/posts/{{post_id}}',
      '/posts/{{post_id}}',
    ])
    expect(steps[2]?.capture).toEqual({ etag: { from: 'header', path: 'etag' } })
    expect(steps[4]?.headers?.['if-match']).toBe('{{etag}}')
    // Browser noise gone; what the request means kept.
    expect(steps[1]?.headers).toEqual({
      accept: 'application/json',
      'accept-language': 'en-GB,en;q=0.9',
      'content-type': 'application/json',
      'x-csrf': 'static-form-token',
    })
    // Seven Authorization headers (dropped) and one password.
    expect(corpus).toMatchObject({ captures: 2, folded: 1, redactions: 8 })
    expect(readFileSync(corpus.file, 'utf8')).not.toMatch(/hunter2|eyJhbGci/)
  })
})

describe('readHar refuses malformed files with a message naming the problem', () => {
  const entry = JSON.parse(HAR).log.entries[0]
  const bad = (doc: unknown) => () => readHar(typeof doc === 'string' ? doc : JSON.stringify(doc))

  it.each([
    ['not JSON', '{"log":', /^not JSON: /],
    ['an array', [], /not a HAR 1.2 file: \(root\) must be object/],
    ['no log', { har: {} }, /not a HAR 1.2 file: \(root\) must have required property 'log' \(log\)/],
    ['entries not a list', { log: { entries: {} } }, /log\.entries must be array/],
    [
      'an entry without url',
      { log: { entries: [entry, { ...entry, request: { ...entry.request, url: undefined } }] } },
      /log\.entries\[1\]\.request must have required property 'url'/,
    ],
    [
      'a status as text',
      { log: { entries: [{ ...entry, response: { ...entry.response, status: '200' } }] } },
      /log\.entries\[0\]\.response\.status must be integer/,
    ],
    [
      'a url that is none',
      { log: { entries: [{ ...entry, request: { ...entry.request, url: 'not a url' } }] } },
      /log\.entries\[0\]\.request\.url "not a url" is not a URL/,
    ],
    ['no entries', { log: { entries: [] } }, /no answered HTTP entry among 0 entries/],
  ])('%s', (_label, doc, message) => {
    expect(bad(doc)).toThrow(HarFormatError)
    expect(bad(doc)).toThrow(message)
  })

  it('names a bad --origin', () => {
    expect(() => readHar(HAR, { origin: 'ftp://x' })).toThrow(/origin "ftp:\/\/x" is not an http\(s\) URL/)
  })
})

describe('harMain (pnpm parity import-har)', () => {
  const run = async (argv: string[]) => {
    const out: string[] = []
    const err: string[] = []
    const code = await harMain(argv, {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
      cwd: tmpdir(),
    })
    return { code, out: out.join(''), err: err.join('') }
  }

  it('writes the corpus and prints what it read, skipped and wrote, and how to replay', async () => {
    const out = tmp()
    const r = await run([HAR_FILE, '--out', out, '--component', 'blog', '--redact-header', 'X-CSRF', '--redact-json', '$.password'])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toContain(`read 10 entries of ${HAR_FILE}; kept 7 of https://api.blog.test`)
    expect(r.out).toContain('skipped 3: 1 other origins, 1 status 0 (blocked or cancelled, never answered), 1 data: is not HTTP')
    expect(r.out).toMatch(/wrote 6 cases to .*blog\/recorded\.yaml/)
    expect(r.out).toContain('folded 1 near-duplicates into weights, 2 captures, 9 redactions')
    expect(r.out).toContain(`replay: pnpm parity --a URL --b URL --case-dir `)
    const yaml = readFileSync(join(out, 'blog', 'recorded.yaml'), 'utf8')
    expect(yaml).toContain('x-csrf: REDACTED')
    expect(loadCases({ caseDir: out, root: out })[0]?.id).toBe('blog.0001.get-posts')
  })

  it('--no-fold keeps every request; an existing corpus needs --overwrite', async () => {
    const out = tmp()
    expect((await run([HAR_FILE, '--out', out, '--no-fold'])).code).toBe(0)
    expect(loadCases({ caseDir: out, root: out })).toHaveLength(7)
    const again = await run([HAR_FILE, '--out', out])
    expect(again.code).toBe(2)
    expect(again.err).toMatch(/^parity import-har: .*recorded\.yaml already exists: pass --overwrite/)
    expect((await run([HAR_FILE, '--out', out, '--overwrite'])).code).toBe(0)
    expect(loadCases({ caseDir: out, root: out })).toHaveLength(6)
  })

  it('exits 2 with one line on bad input', async () => {
    const dir = tmp()
    const broken = join(dir, 'broken.har')
    writeFileSync(broken, '{"log":{"entries":[{"request":{}}]}}')
    const cases: [string[], RegExp][] = [
      [[], /expected one HAR file, got 0/],
      [[HAR_FILE, '--bogus'], /Unknown option '--bogus'/],
      [[join(dir, 'missing.har')], /cannot read .*missing\.har: ENOENT/],
      [[broken, '--out', dir], /broken\.har: not a HAR 1\.2 file: log\.entries\[0\] must have required property 'startedDateTime'/],
      [[HAR_FILE, '--out', dir, '--origin', 'https://elsewhere.test'], /no entry of https:\/\/elsewhere\.test to import/],
      [[HAR_FILE, '--out', dir, '--redact-json', 'password'], /redaction path "password" is not a JSON path/],
      [[HAR_FILE, '--out', dir, '--component', 'Blog'], /component "Blog" must be lower case/],
    ]
    for (const [argv, message] of cases) {
      const r = await run(argv)
      expect(r.code, argv.join(' ')).toBe(2)
      expect(r.err).toMatch(message)
      expect(r.err.trim().split('\n')).toHaveLength(1)
    }
    expect(existsSync(join(dir, 'recorded'))).toBe(false)
  })

  it('--help prints the usage', async () => {
    const r = await run(['--help'])
    expect(r.code).toBe(0)
    expect(r.out).toContain('pnpm parity import-har FILE')
  })
})

describe('readHar on Firefox shapes', () => {
  it('rebuilds a form body from params and takes a response saved without text as empty', () => {
    const doc = {
      log: {
        version: '1.2',
        creator: { name: 'Firefox', version: '133.0' },
        entries: [
          {
            startedDateTime: '2026-12-05T10:00:00.000+01:00',
            time: 31,
            request: {
              method: 'POST',
              url: 'http://127.0.0.1:3100/login#top',
              httpVersion: 'HTTP/1.1',
              headers: [
                { name: 'Host', value: '127.0.0.1:3100' },
                { name: 'Content-Type', value: 'application/x-www-form-urlencoded' },
              ],
              queryString: [],
              cookies: [],
              headersSize: 310,
              bodySize: 21,
              postData: {
                mimeType: 'application/x-www-form-urlencoded',
                params: [
                  { name: 'user', value: 'ann lee' },
                  { name: 'remember', value: 'on' },
                ],
              },
            },
            response: {
              status: 302,
              statusText: 'Found',
              httpVersion: 'HTTP/1.1',
              headers: [{ name: 'Location', value: '/home' }],
              cookies: [],
              content: { mimeType: 'text/html', size: 0 },
              redirectURL: '/home',
              headersSize: 90,
              bodySize: 0,
            },
            cache: {},
            timings: { blocked: 0, dns: 0, connect: 0, ssl: 0, send: 0, wait: 31, receive: 0 },
          },
        ],
      },
    }
    const [login] = importHar(JSON.stringify(doc))
    expect(login).toMatchObject({
      method: 'POST',
      target: '/login',
      requestHeaders: { host: '127.0.0.1:3100', 'content-type': 'application/x-www-form-urlencoded' },
      requestBody: { kind: 'text', text: 'user=ann%20lee&remember=on' },
      status: 302,
      responseHeaders: { location: '/home' },
      responseBody: { kind: 'empty' },
      durationMs: 31,
    })
  })
})
