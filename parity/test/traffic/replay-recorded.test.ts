import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunReport } from '../../src/model.ts'
import { runParity } from '../../src/run/runner.ts'
import { writeRecordedCorpus } from '../../src/traffic/corpus-writer.ts'
import { importHar } from '../../src/traffic/har.ts'
import { serveBlog } from './blog-servers.ts'
import { exchange, json } from './exchanges.ts'

const HAR = readFileSync(fileURLToPath(new URL('./fixtures/chromium-devtools.har', import.meta.url)), 'utf8')

let dir: string
let report: RunReport
const servers: { url: string; close(): Promise<void> }[] = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parity-replay-'))
  writeRecordedCorpus(importHar(HAR), { outDir: join(dir, 'cases'), redactJsonPaths: ['$.password'] })
  servers.push(await serveBlog('integer'), await serveBlog('string'))
  const [a, b] = servers
  report = (
    await runParity({
      targets: [
        { name: 'int', url: a?.url ?? '' },
        { name: 'str', url: b?.url ?? '' },
      ],
      selection: { caseDir: join(dir, 'cases'), root: dir },
      outDir: join(dir, 'reports'),
      updateDocs: false,
    })
  ).report
})

afterAll(async () => {
  for (const s of servers) await s.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('a HAR-recorded corpus replayed against two services that differ on purpose', () => {
  it('runs every recorded case, its captured ids and etags filled per target', () => {
    expect(report.cases.map((c) => `${c.id} ${c.outcome}`)).toEqual([
      'recorded.0001.get-posts divergent',
      'recorded.0002.post-posts divergent',
      'recorded.0003.get-posts-id divergent',
      'recorded.0004.get-posts-id-cover-png parity',
      'recorded.0005.patch-posts-id divergent',
      'recorded.0006.delete-posts-id parity',
    ])
    // Each target got its own new post's id and etag: the PATCH passed If-Match on both.
    const patch = report.cases[4]?.steps[0]
    expect(patch?.path).toBe('/posts/8001')
    expect([patch?.responses.int?.status, patch?.responses.str?.status]).toEqual([200, 200])
    expect(report.cases[5]?.steps[0]?.responses.str?.status).toBe(204)
  })

  it('leads with the one root cause: the id is an integer on one side and a string on the other', () => {
    expect(report.findings.map((f) => `${f.class} ${f.risk} ${f.path} ${f.shape}`)).toEqual([
      'type breaking $.id integer→string',
      'type breaking $[*].id integer→string',
    ])
    expect(report.findings[0]?.occurrences).toBe(3)
    expect(report.exitCode).toBe(1)
  })
})

/** 300 requests: 60 posts each created, read and patched with its etag, around 120 list reads. */
function longSession() {
  const out = []
  for (let i = 0; i < 60; i++) {
    const id = 7301 + i
    const post = { id, title: `post ${i}`, body: '' }
    out.push(exchange('GET', `/posts?_page=${i + 1}`, 200, { responseBody: json([]) }))
    out.push(
      exchange('POST', '/posts', 201, {
        requestHeaders: { 'content-type': 'application/json' },
        requestBody: json({ title: `post ${i}`, body: '' }),
        responseHeaders: { location: `/posts/${id}` },
        responseBody: json(post),
      }),
    )
    out.push(exchange('GET', `/posts/${id}`, 200, { responseHeaders: { etag: `W/"${id}-1"` }, responseBody: json(post) }))
    out.push(
      exchange('PATCH', `/posts/${id}`, 200, {
        requestHeaders: { 'content-type': 'application/json', 'if-match': `W/"${id}-1"` },
        requestBody: json({ title: `post ${i}, edited` }),
        responseBody: json({ ...post, title: `post ${i}, edited` }),
      }),
    )
    out.push(exchange('GET', `/posts?_page=${i + 1}&_sort=id`, 200, { responseBody: json([]) }))
  }
  return out
}

describe('a recorded session of a few hundred requests', () => {
  it('folds the list reads, keeps every flow, and replays into the one finding', async () => {
    const out = mkdtempSync(join(tmpdir(), 'parity-replay-'))
    try {
      const corpus = writeRecordedCorpus(longSession(), { outDir: join(out, 'cases') })
      // 120 list reads fold into two cases (`?_page` and `?_page&_sort` are different requests);
      // 60 × (create, read, patch) stay, linked by 120 captures.
      expect(corpus).toMatchObject({ cases: 182, folded: 118, captures: 120 })
      const [a, b] = servers
      const run = await runParity({
        targets: [
          { name: 'int', url: a?.url ?? '' },
          { name: 'str', url: b?.url ?? '' },
        ],
        selection: { caseDir: join(out, 'cases'), root: out },
        outDir: join(out, 'reports'),
        updateDocs: false,
      })
      const r = run.report
      expect(r.summary.errors).toBe(0)
      expect(r.findings[0]).toMatchObject({ class: 'type', path: '$.id', shape: 'integer→string', occurrences: 180 })
      // Every PATCH met its If-Match on both targets: the etag of each target's own post was captured.
      const patches = r.cases.flatMap((c) => c.steps).filter((s) => s.method === 'PATCH')
      expect(patches).toHaveLength(60)
      expect(patches.every((s) => s.responses.int?.status === 200 && s.responses.str?.status === 200)).toBe(true)
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})
