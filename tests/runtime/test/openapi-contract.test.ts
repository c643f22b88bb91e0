import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { COMPONENT_NAMES } from '@lakehouse/gateway'
import { answerChecker, type OpenApiDocument } from '@lakehouse/kit'
import { bootedAuth, corpusAppArgs, findRepoRoot, runParity } from '@lakehouse/parity'
import { Validator } from '@seriousme/openapi-schema-validator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CORPUS_TIMEOUTS, type RunningServer, startServer } from './servers.ts'

/**
 * Issue 14 part 2: the served OpenAPI document is valid OpenAPI 3.1, the same on both runtimes,
 * describes every mounted route, and every answer the parity corpus draws from either runtime
 * is as documented (route, status, problem code, body schema). The corpus run is also the parity
 * smoke pass (DESIGN.md §9): no new divergence and no case error between the runtimes.
 */
const root = findRepoRoot()
const out = mkdtempSync(join(tmpdir(), 'lakehouse-openapi-'))
const docs: Record<string, OpenApiDocument> = {}
const servers: RunningServer[] = []
// The corpus's access cases expect a server that requires a token, as parity's booted apps do.
const token = `openapi-contract-${crypto.randomUUID()}`
const auth = bootedAuth(token)

beforeAll(async () => {
  for (const runtime of ['node', 'bun'] as const) {
    const s = await startServer(runtime, { args: corpusAppArgs(root), env: auth.env })
    servers.push(s)
    const res = await fetch(`${s.url}/openapi.json`, { headers: auth.headers })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    docs[runtime] = (await res.json()) as OpenApiDocument
  }
}, 60_000)

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()))
  rmSync(out, { recursive: true, force: true })
})

describe('GET /openapi.json', () => {
  it('is valid OpenAPI 3.1 and the same document on Node and Bun', async () => {
    const validator = new Validator()
    const result = await validator.validate(structuredClone(docs.node) as Parameters<Validator['validate']>[0])
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
    expect(docs.bun).toEqual(docs.node)
  })

  it('describes every component and the routes each registers', () => {
    const doc = docs.node as OpenApiDocument
    const tags = new Set(Object.values(doc.paths).flatMap((item) => Object.values(item).flatMap((op) => (op as { tags: string[] }).tags)))
    for (const component of ['gateway', ...COMPONENT_NAMES]) {
      expect(tags, component).toContain(component)
    }
    for (const path of ['/health', '/openapi.json', '/v1/query/sql', '/v1/chat', '/v1/storage/objects/{path}']) {
      expect(Object.keys(doc.paths), path).toContain(path)
    }
  })

  it('the parity corpus passes on node vs bun, and every answer on both runtimes is as documented', async () => {
    const check = answerChecker(docs.node as OpenApiDocument)
    const { report } = await runParity({
      targets: servers.map((s) => ({ name: s.runtime, url: s.url })),
      selection: { caseDir: join(root, 'parity/cases'), root },
      outDir: out,
      token,
      trackerPath: join(root, 'docs/ARCHITECTURE_COMPARISON.md'),
      updateDocs: false,
      timeouts: CORPUS_TIMEOUTS,
    })
    const failed = report.cases
      .filter((c) => c.outcome === 'divergent' || c.outcome === 'error')
      .map((c) => `${c.id}: ${c.outcome} ${c.error ?? ''}`)
    const problems: string[] = []
    let checked = 0
    for (const c of report.cases) {
      for (const step of c.steps) {
        for (const [target, res] of Object.entries(step.responses)) {
          if (res.truncated || res.bodyKind === 'binary') continue
          checked++
          const path = step.path.split('?')[0] ?? step.path
          for (const p of check({
            method: step.method,
            path,
            status: res.status,
            contentType: res.headers['content-type'] ?? null,
            body: res.body,
          })) {
            problems.push(`${c.id} [${target}] ${p}`)
          }
        }
      }
    }
    expect({ failed, problems }).toEqual({ failed: [], problems: [] })
    expect(report.exitCode).toBe(0)
    expect(checked).toBeGreaterThan(400)
  }, 600_000)
})
