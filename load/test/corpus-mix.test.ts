import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Exchange, loadCases, type ObservedBody, type ParityCase, writeRecordedCorpus } from '@lakehouse/parity'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { corpusMix, mixFromCorpus } from '../src/mix/corpus-mix.ts'
import { loadCorpusMix } from '../src/mix/corpus-source.ts'
import type { LoadReport, Scenario } from '../src/model.ts'

/**
 * A recorded corpus replayed as a load mix (issue 16, "one corpus, three uses"): weights are
 * the folded counts, a capture flow stays one scenario in order, writes need --corpus-writes,
 * and a variable nobody captures leaves its case out, counted. The end-to-end run drives the
 * built `pnpm load --corpus` against a node:http server and holds its per-path counts against
 * the weights.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BUNDLE = join(ROOT, 'load/dist/load.js')

const json = (value: unknown): ObservedBody => ({ kind: 'json', text: JSON.stringify(value) })
let clock = Date.UTC(2026, 11, 5, 9, 0, 0)
function exchange(
  method: string,
  target: string,
  status: number,
  responseBody: ObservedBody = { kind: 'empty' },
  requestBody?: unknown,
): Exchange {
  clock += 100
  return {
    startedAt: new Date(clock).toISOString(),
    method,
    target,
    requestHeaders: {
      host: 'shop.test',
      accept: 'application/json',
      ...(requestBody === undefined ? {} : { 'content-type': 'application/json' }),
    },
    requestBody: requestBody === undefined ? { kind: 'empty' } : json(requestBody),
    status,
    responseHeaders: { 'content-type': 'application/json' },
    responseBody,
    durationMs: 3,
  }
}

/** Ten list pages (they fold into one case of weight 10), one rare read, a create → get → delete flow, a 304. */
function session(): Exchange[] {
  return [
    ...Array.from({ length: 10 }, (_, i) => exchange('GET', `/popular?page=${i + 1}`, 200, json({ page: i + 1 }))),
    exchange('GET', '/rare', 200, json({ rare: true })),
    exchange('POST', '/items', 201, json({ id: 4821, name: 'lamp' }), { name: 'lamp' }),
    exchange('GET', '/items/4821', 200, json({ id: 4821, name: 'lamp' })),
    exchange('DELETE', '/items/4821', 204),
    exchange('GET', '/cached', 304),
  ]
}

let dir: string
let cases: ParityCase[]

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'load-corpus-'))
  writeRecordedCorpus(session(), { outDir: dir, component: 'shop' })
  cases = loadCases({ caseDir: dir, root: dir })
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const scenario = (scenarios: readonly Scenario[], id: string): Scenario => {
  const s = scenarios.find((x) => x.name.includes(id))
  if (s === undefined) throw new Error(`no scenario ${id} in ${scenarios.map((x) => x.name).join(', ')}`)
  return s
}

describe('mixFromCorpus', () => {
  it('makes one scenario per safe case, named by case id and weighted by the folded count', () => {
    const mix = mixFromCorpus(cases)
    expect(mix.scenarios.map((s) => [s.name, s.weight])).toEqual([
      ['shop.0001.get-popular', 10],
      ['shop.0011.get-rare', 1],
      ['shop.0015.get-cached', 1],
    ])
    expect(scenario(mix.scenarios, 'popular').steps[0]).toMatchObject({ method: 'GET', path: '/popular', query: { page: '1' } })
    expect(mix.requires.corpus).toBe(false)
  })

  it('leaves writes out by default, and the read that needs a value only a write captures, counting both', () => {
    const built = corpusMix(cases)
    expect(built.writes.map((w) => w.id)).toEqual(['shop.0012.post-items', 'shop.0014.delete-items-id'])
    expect(built.unresolved).toEqual([
      { id: 'shop.0013.get-items-id', reason: expect.stringMatching(/\{\{item_id\}\} is captured only by shop\.0012\.post-items/) },
    ])
  })

  it('with writes keeps create → get → delete as one scenario, in order, so the captured id reaches its users', () => {
    const built = corpusMix(cases, { writes: true })
    expect(built.writes).toEqual([])
    expect(built.merged).toBe(2)
    const flow = scenario(built.mix.scenarios, 'post-items')
    expect(flow.name).toBe('shop.0012.post-items')
    expect(flow.weight).toBe(1)
    expect(flow.steps.map((s) => `${s.method} ${s.path}`)).toEqual(['POST /items', 'GET /items/{{item_id}}', 'DELETE /items/{{item_id}}'])
    expect(flow.steps[0]?.capture).toEqual({ item_id: { from: 'body', path: '$.id' } })
    expect(new Set(flow.steps.map((s) => s.name)).size).toBe(3)
    expect(built.mix.scenarios.map((s) => s.name)).toEqual([
      'shop.0001.get-popular',
      'shop.0011.get-rare',
      'shop.0012.post-items',
      'shop.0015.get-cached',
    ])
  })

  it('expects the recorded status when it was not 2xx (a 304 replayed is not a failure), else any 2xx', () => {
    const mix = mixFromCorpus(cases)
    expect(scenario(mix.scenarios, 'cached').steps[0]?.expect.status).toEqual([304])
    expect(scenario(mix.scenarios, 'popular').steps[0]?.expect.status).toBeUndefined()
  })

  it('leaves out, with the variable named, a case whose variable no earlier case captures', () => {
    const extra = mkdtempSync(join(tmpdir(), 'load-corpus-'))
    try {
      mkdirSync(join(extra, 'hand'))
      writeFileSync(
        join(extra, 'hand', 'cases.yaml'),
        [
          'cases:',
          '  - { id: hand.a-orphan, title: orphan, steps: [{ method: GET, path: "/users/{{nobody}}" }] }',
          '  - { id: hand.b-login, title: login, steps: [{ method: GET, path: /session, capture: { tok: { from: header, path: x-token } } }] }',
          '  - { id: hand.c-me, title: me, steps: [{ method: GET, path: /me, headers: { x-token: "{{tok}}" } }] }',
          '  - { id: hand.d-literal, title: literal, steps: [{ method: GET, path: "/t/{{raw}}", template: false }] }',
        ].join('\n'),
      )
      const built = corpusMix(loadCases({ caseDir: extra, root: extra }))
      expect(built.unresolved).toEqual([{ id: 'hand.a-orphan', reason: '{{nobody}} is captured by no earlier case' }])
      expect(built.mix.scenarios.map((s) => [s.name, s.steps.map((x) => x.name)])).toEqual([
        ['hand.b-login', ['hand.b-login/step-1', 'hand.c-me/step-1']],
        ['hand.d-literal', ['step-1']],
      ])
      expect(loadCorpusMix(extra, extra).summary).toMatch(
        /4 cases → 2 scenarios, 1 merged .*1 left out for an uncaptured variable \(first: hand\.a-orphan/,
      )
    } finally {
      rmSync(extra, { recursive: true, force: true })
    }
  })
})

/** Counts requests per method and path; creates, reads and deletes items so a broken flow shows as 404s. */
interface ShopServer {
  readonly url: string
  readonly hits: Map<string, number>
  close(): Promise<void>
}

async function startShop(): Promise<ShopServer> {
  const hits = new Map<string, number>()
  const items = new Set<number>()
  const sockets = new Set<Socket>()
  let next = 1
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const send = (status: number, body?: unknown) => {
      const text = body === undefined ? '' : JSON.stringify(body)
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
      res.end(text)
    }
    req.resume()
    req.on('end', () => {
      const id = /^\/items\/(\d+)$/.exec(path)?.[1]
      const key = `${req.method} ${id === undefined ? path : '/items/{id}'}`
      hits.set(key, (hits.get(key) ?? 0) + 1)
      if (path === '/health') return send(200, { ok: true })
      if (path === '/popular' || path === '/rare') return send(200, { ok: true })
      if (path === '/cached') return send(304)
      if (path === '/items' && req.method === 'POST') {
        items.add(next)
        return send(201, { id: next++ })
      }
      if (id !== undefined && items.has(Number(id))) {
        if (req.method === 'DELETE') items.delete(Number(id))
        return req.method === 'DELETE' ? send(204) : send(200, { id: Number(id) })
      }
      hits.set('404', (hits.get('404') ?? 0) + 1)
      return send(404, { error: 'no such item' })
    })
  })
  server.keepAliveTimeout = 60_000
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

/** The built CLI, asynchronously: the fixture server lives in this process and must keep answering. */
function load(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, ...args], { env: { ...process.env, NO_COLOR: '1' } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c))
    child.stderr.on('data', (c: Buffer) => (stderr += c))
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

describe('pnpm load --corpus (end to end, built CLI against a node:http server)', () => {
  let server: ShopServer
  let out: string

  beforeAll(() => {
    const built = spawnSync(join(ROOT, 'node_modules/.bin/bun'), [join(ROOT, 'load/build.ts')], { encoding: 'utf8' })
    if (built.status !== 0) throw new Error(`load build failed: ${built.stderr}`)
    out = mkdtempSync(join(tmpdir(), 'load-corpus-out-'))
  }, 120_000)
  beforeAll(async () => {
    server = await startShop()
  })
  afterAll(async () => {
    await server.close()
    rmSync(out, { recursive: true, force: true })
  })

  it('refuses --corpus with --mix, and --corpus-writes alone, with exit 2 and one line', async () => {
    const both = await load(['--corpus', dir, '--mix', join(ROOT, 'load/mixes/health.yaml'), '--targets', `shop=${server.url}`])
    expect(both.code).toBe(2)
    expect(both.stderr.trim()).toBe('load: --corpus and --mix are mutually exclusive: a run replays one mix (pass one of them)')
    const alone = await load(['--corpus-writes', '--targets', `shop=${server.url}`])
    expect(alone.code).toBe(2)
    expect(alone.stderr.trim()).toBe('load: --corpus-writes needs --corpus DIR')
    const missing = await load(['--corpus', join(dir, 'nope'), '--targets', `shop=${server.url}`])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/^load: 1 problem\(s\) in the mix:\n {2}- --corpus .*nope: case directory .* does not exist\n$/)
  })

  it('replays the corpus with writes: request counts follow the weights and every flow gets its own id', async () => {
    server.hits.clear()
    const run = await load([
      ...['--corpus', dir, '--corpus-writes', '--targets', `shop=${server.url}`],
      ...['--tiers', '2', '--rounds', '1', '--duration', '1s', '--warmup', '0', '--timeout', '2s'],
      ...['--out', out, '--no-update-docs', '--no-pin', '--quiet'],
    ])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain(`load: corpus ${dir}: 6 cases → 4 scenarios, 2 merged into the flow whose value they use`)
    const [runId] = readdirSync(out)
    const report = JSON.parse(readFileSync(join(out, runId ?? '', 'report.json'), 'utf8')) as LoadReport
    expect(report.mix.scenarios.map((s) => [s.name, s.weight])).toEqual([
      ['shop.0001.get-popular', 10],
      ['shop.0011.get-rare', 1],
      ['shop.0012.post-items', 1],
      ['shop.0015.get-cached', 1],
    ])
    const h = (k: string) => server.hits.get(k) ?? 0
    const rare = h('GET /rare')
    // Weight 10 against weight 1: loosely, not exactly (the picks are random, the window short).
    expect(rare).toBeGreaterThan(0)
    expect(h('GET /popular')).toBeGreaterThan(3 * rare)
    expect(h('GET /popular')).toBeGreaterThan(3 * h('POST /items'))
    // Each iteration of the flow reads and deletes the item it created: no 404, no failure.
    expect(h('404')).toBe(0)
    expect(h('GET /items/{id}')).toBeGreaterThan(0)
    expect(h('POST /items') - h('DELETE /items/{id}')).toBeLessThanOrEqual(2)
    const m = report.measurements[0]
    expect(m?.scenarios.failed, JSON.stringify(m?.failure_examples)).toBe(0)
  }, 120_000)
})
