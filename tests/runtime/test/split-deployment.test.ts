import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type AppRuntime, corpusAppArgs, findRepoRoot, type LaunchedApp, launchApp, runParity } from '@lakehouse/parity'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CORPUS_TIMEOUTS } from './servers.ts'

// Issue 13: a split deployment — the object-keeping components in one process, embeddings and
// vectors in a second, the rest in a front that proxies to both — answers the whole parity
// corpus as the all-in-one server does.
const root = findRepoRoot()
const work = mkdtempSync(join(tmpdir(), 'lakehouse-split-'))
const token = `api-${crypto.randomUUID()}`
const serviceToken = `svc-${crypto.randomUUID()}`
const env = { LAKEHOUSE_AUTH_TOKEN: token, LAKEHOUSE_SERVICE_TOKEN: serviceToken }
const BACK = ['storage', 'catalog', 'query', 'grants', 'ingest']
const VECTORS = ['embed', 'vector']
const FRONT = ['validator', 'matrix', 'draft', 'memory', 'observer']
const RUNTIMES: readonly AppRuntime[] = ['bun', 'node']
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe.each(RUNTIMES)('split deployment on %s (two processes behind one gateway)', (runtime) => {
  let vectors: LaunchedApp | undefined
  let back: LaunchedApp | undefined
  let front: LaunchedApp | undefined
  let allInOne: LaunchedApp | undefined
  const upstreams = (names: readonly string[], app: LaunchedApp | undefined) => names.map((name) => `${name}=${app?.url}`)

  beforeAll(async () => {
    vectors = await launchApp(runtime, { env, args: ['--services', VECTORS.join(',')] })
    // The catalog reports indexes built from an older version, so it reads vector's index sources.
    back = await launchApp(runtime, {
      env,
      args: [
        '--services',
        BACK.join(','),
        '--objects-dir',
        join(work, `objects-${runtime}`),
        '--grant-http-mint',
        '--upstream',
        upstreams(['vector'], vectors).join(','),
      ],
    })
    front = await launchApp(runtime, {
      env,
      args: [
        '--services',
        FRONT.join(','),
        '--upstream',
        [...upstreams(BACK, back), ...upstreams(VECTORS, vectors)].join(','),
        ...corpusAppArgs(root).filter((a) => a !== '--grant-http-mint'),
      ],
    })
    allInOne = await launchApp(runtime, { env, args: corpusAppArgs(root) })
  }, 90_000)

  afterAll(async () => {
    await allInOne?.stop()
    await front?.stop()
    await back?.stop()
    await vectors?.stop()
  })

  it('answers the parity corpus as the all-in-one server does', async () => {
    const { report } = await runParity({
      targets: [
        { name: 'all-in-one', url: allInOne?.url ?? '' },
        { name: 'split', url: front?.url ?? '' },
      ],
      selection: { caseDir: join(root, 'parity/cases'), root },
      outDir: join(work, `report-${runtime}`),
      trackerPath: join(root, 'docs/ARCHITECTURE_COMPARISON.md'),
      updateDocs: false,
      timeouts: CORPUS_TIMEOUTS,
      appArgs: corpusAppArgs(root),
      token,
      // No second baseline pass: the corpus's volatile fields are covered by its compare rules
      // (the node-vs-bun smoke test, with the noise pass, finds no noisy path), and CI time is
      // budgeted (a third of this test).
      noise: false,
    })
    const problems = report.cases
      // The front's API description adds the forwarder's 502/504 to the routes it forwards: checked below.
      .filter((c) => c.id !== 'gateway.openapi')
      .filter((c) => c.outcome === 'divergent' || c.outcome === 'error')
      .map((c) => `${c.id}: ${c.outcome} ${c.error ?? ''}`)
    expect(problems).toEqual([])
    expect(report.summary.cases).toBeGreaterThanOrEqual(40)
  }, 240_000)

  it('describes the whole deployment at the front: every route, forwarded ones with the upstream failures', async () => {
    const documents = await Promise.all(
      [allInOne, front].map(async (app) => {
        const res = await fetch(`${app?.url}/openapi.json`, { headers: { authorization: `Bearer ${token}` } })
        expect(res.status).toBe(200)
        return (await res.json()) as { paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>> }
      }),
    )
    const [whole, split] = documents as [(typeof documents)[0], (typeof documents)[0]]
    expect(Object.keys(split.paths)).toEqual(Object.keys(whole.paths))
    for (const [path, item] of Object.entries(split.paths)) {
      expect(Object.keys(item), path).toEqual(Object.keys(whole.paths[path] ?? {}))
      if (!path.startsWith('/v1/')) continue // the gateway's own routes
      const forwarded = [...BACK, ...VECTORS].some((name) => path.startsWith(`/v1/${name}`))
      for (const [method, op] of Object.entries(item)) {
        expect(op.responses['502']?.description.includes('GATEWAY_UPSTREAM_UNAVAILABLE') ?? false, `${method} ${path}`).toBe(forwarded)
      }
    }
  })

  it('hands the request id on to the process that serves the request', async () => {
    const res = await fetch(`${front?.url}/v1/catalog/datasets`, { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    const reqId = res.headers.get('x-request-id') ?? ''
    expect(reqId).not.toBe('')
    const logged = (app: LaunchedApp | undefined) =>
      (app?.lines ?? []).some((line) => line.includes(reqId) && line.includes('"path":"/v1/catalog/datasets"'))
    for (let i = 0; i < 20 && !logged(back); i++) await new Promise((r) => setTimeout(r, 50))
    expect(logged(front)).toBe(true)
    expect(logged(back)).toBe(true)
  })

  it('keeps the internal routes for the service token', async () => {
    const call = (bearer: string) =>
      fetch(`${back?.url}/internal/v1/catalog/snapshot`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: '{"args":[]}',
      })
    const withApiToken = await call(token)
    expect(withApiToken.status).toBe(403)
    expect(((await withApiToken.json()) as { code: string }).code).toBe('GATEWAY_SEAM_FORBIDDEN')
    const withServiceToken = await call(serviceToken)
    expect(withServiceToken.status).toBe(200)
  })

  it('answers 502 with a problem when an upstream is down', async () => {
    const lonely = await launchApp(runtime, {
      env,
      args: ['--services', 'embed,memory', '--upstream', 'storage=http://127.0.0.1:1'],
    })
    try {
      const res = await fetch(`${lonely.url}/v1/storage/objects/x`, { headers: { authorization: `Bearer ${token}` } })
      expect(res.status).toBe(502)
      expect(((await res.json()) as { code: string }).code).toBe('GATEWAY_UPSTREAM_UNAVAILABLE')
      expect(res.headers.get('retry-after')).toBe('1')
    } finally {
      await lonely.stop()
    }
  })
})
