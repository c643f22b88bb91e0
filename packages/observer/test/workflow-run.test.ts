import { createMemoryJournal } from '@lakehouse/journal/testing'
import { jsonRequest } from '@lakehouse/kit/testing'
import { describe, expect, it } from 'vitest'
import { createObserverService, INTERNAL_ORIGIN } from '../src/index.ts'
import { getJson, type Json, runWorkflow, SQL_ANSWER, send, setup, until } from './helpers.ts'

const byId = (run: Json) => Object.fromEntries(run.nodes.map((n: Json) => [n.id, n]))

describe('POST /v1/observer/workflows/run', () => {
  it('calls each mode through dispatch and answers 200 with the run', async () => {
    const { svc, dispatch } = await setup()
    const r = await runWorkflow(svc, {
      name: 'every mode',
      nodes: [
        { id: 'v', mode: 'validate', input: { kind: 'email', payload: {} } },
        { id: 'e', mode: 'embed', input: { texts: ['hello'] } },
        { id: 'q', mode: 'sql', input: { sql: 'SELECT 1' } },
        { id: 'm', mode: 'memory.search', input: { query: 'forklift' } },
        { id: 'x', mode: 'matrix.search', input: { query: 'welder' } },
        { id: 'd', mode: 'draft', input: { channel: 'sms', worker_id: 'W-9' } },
      ],
    })
    expect(r.status).toBe(200)
    expect(r.body.success).toBe(true)
    expect(Object.keys(r.body)).toEqual(['run_id', 'name', 'success', 'started_at', 'finished_at', 'duration_ms', 'truncated', 'nodes'])
    expect(r.body.run_id).toMatch(/^[0-9a-f-]{36}$/)
    expect(r.body.name).toBe('every mode')
    const nodes = byId(r.body)
    expect(nodes.v.output).toEqual({ valid: true, kind: 'email', warnings: [] })
    expect(nodes.q.output).toEqual(SQL_ANSWER)
    expect(nodes.d.output).toEqual({ channel: 'sms', worker_id: 'W-9', text: 'Hi W-9' })
    for (const n of r.body.nodes) {
      expect(n.status).toBe('ok')
      expect(typeof n.started_at).toBe('string')
      expect(n.duration_ms).toBeGreaterThanOrEqual(0)
    }
    expect(dispatch.calls.map((c) => c.path).sort()).toEqual(
      ['/v1/validate', '/v1/embed', '/v1/query/sql', '/v1/memory/search', '/v1/matrix/search', '/v1/draft/sms'].sort(),
    )
    const draftCall = dispatch.calls.find((c) => c.path === '/v1/draft/sms')
    // The channel picks the path and is not part of the body.
    expect(draftCall?.body).toEqual({ worker_id: 'W-9' })
    expect(draftCall?.url).toBe(`${INTERNAL_ORIGIN}/v1/draft/sms`)
    expect(draftCall?.requestId).toBe(`${r.body.run_id}.d`)
  })

  it('runs independent branches concurrently (bounded) and joins them', async () => {
    const { svc, dispatch } = await setup({ nodeConcurrency: 2 })
    const slow = (id: string, deps?: string[]) => ({
      id,
      mode: 'embed',
      input: { texts: ['slow:60', id] },
      ...(deps ? { depends_on: deps } : {}),
    })
    const r = await runWorkflow(svc, {
      name: 'diamond',
      nodes: [
        slow('root'),
        slow('left', ['root']),
        slow('right', ['root']),
        slow('third', ['root']),
        slow('join', ['left', 'right', 'third']),
      ],
    })
    expect(r.body.success).toBe(true)
    // Three branches were ready at once; two ran together, never three.
    expect(dispatch.maxInFlight).toBe(2)
    const order = dispatch.calls.map((c) => c.body.texts[1])
    expect(order[0]).toBe('root')
    expect(order.at(-1)).toBe('join')
    const nodes = byId(r.body)
    expect(Date.parse(nodes.join.started_at)).toBeGreaterThanOrEqual(Date.parse(nodes.left.started_at))
  })

  it('replaces $from refs with upstream outputs at a dotted path, anywhere in the input', async () => {
    const { svc, dispatch } = await setup()
    const r = await runWorkflow(svc, {
      name: 'refs',
      nodes: [
        { id: 'q', mode: 'sql', input: { sql: 'SELECT id, name FROM workers' } },
        {
          id: 'e',
          mode: 'embed',
          depends_on: ['q'],
          input: {
            texts: [
              { $from: 'q', path: 'rows.0.1' },
              { $from: 'q', path: 'rows.1.1' },
            ],
            model: 'local/fake-3',
          },
        },
        {
          id: 'd',
          mode: 'draft',
          depends_on: ['q', 'e'],
          input: {
            channel: 'email',
            worker_id: { $from: 'q', path: 'rows.1.0' },
            meta: { dim: { $from: 'e', path: 'dim' }, all: { $from: 'q' } },
          },
        },
      ],
    })
    expect(r.body.success).toBe(true)
    const embedCall = dispatch.calls.find((c) => c.path === '/v1/embed')
    expect(embedCall?.body).toEqual({ texts: ['Ada Lovelace', 'Grace Hopper'], model: 'local/fake-3' })
    const draftCall = dispatch.calls.find((c) => c.path === '/v1/draft/email')
    expect(draftCall?.body).toEqual({ worker_id: 'W-002', meta: { dim: 3, all: SQL_ANSWER } })
  })

  it('fails a node whose ref does not resolve with OBSERVER_REF_UNRESOLVED, without calling it', async () => {
    const { svc, dispatch } = await setup()
    const r = await runWorkflow(svc, {
      name: 'bad path',
      nodes: [
        { id: 'q', mode: 'sql', input: { sql: 'SELECT 1' } },
        { id: 'e', mode: 'embed', depends_on: ['q'], input: { texts: [{ $from: 'q', path: 'rows.5.1' }] } },
        { id: 'after', mode: 'embed', depends_on: ['e'], input: { texts: ['x'] } },
      ],
    })
    expect([r.status, r.body.success]).toEqual([200, false])
    const nodes = byId(r.body)
    expect(nodes.e.status).toBe('failed')
    expect(nodes.e.error).toMatchObject({
      code: 'OBSERVER_REF_UNRESOLVED',
      status: 422,
      from: 'q',
      path: 'rows.5.1',
      field: '$.nodes[1].input.texts[0]',
    })
    expect(nodes.after).toEqual({ id: 'after', mode: 'embed', status: 'skipped', started_at: null, duration_ms: 0, skipped_because: 'e' })
    expect(dispatch.calls.map((c) => c.path)).toEqual(['/v1/query/sql'])
  })

  it('surfaces a failing node whole, skips everything downstream, and still runs the other branch', async () => {
    const { svc } = await setup()
    const r = await runWorkflow(svc, {
      name: 'partial',
      nodes: [
        { id: 'check', mode: 'validate', input: { kind: 'reject', payload: {} } },
        { id: 'draft', mode: 'draft', depends_on: ['check'], input: { channel: 'email', worker_id: 'W-1' } },
        { id: 'notify', mode: 'embed', depends_on: ['draft'], input: { texts: ['n'] } },
        { id: 'other', mode: 'matrix.search', input: { query: 'welder' } },
      ],
    })
    expect([r.status, r.body.success]).toEqual([200, false])
    const nodes = byId(r.body)
    expect(nodes.check.status).toBe('failed')
    expect(nodes.check.error).toEqual({
      type: 'urn:lakehouse:problem:VALIDATION_FAILED',
      title: 'Validation Failed',
      status: 422,
      detail: '1 validation error',
      instance: '/v1/validate',
      code: 'VALIDATION_FAILED',
      errors: [{ kind: 'policy', field: '$.payload.body', reason: 'ssn_pattern', message: 'looks like an SSN' }],
    })
    expect(nodes.check.output).toBeUndefined()
    expect(nodes.draft).toMatchObject({ status: 'skipped', skipped_because: 'check' })
    // The root cause, not the skipped node in between.
    expect(nodes.notify).toMatchObject({ status: 'skipped', skipped_because: 'check' })
    expect(nodes.other.status).toBe('ok')
  })

  it('reports the component status and code for a 403 and for an unknown route', async () => {
    const { svc } = await setup()
    const r = await runWorkflow(svc, { name: 'forbidden', nodes: [{ id: 'q', mode: 'sql', input: { sql: 'DROP TABLE x' } }] })
    expect(r.body.nodes[0].error).toMatchObject({ code: 'QUERY_FORBIDDEN', status: 403, detail: 'only queries are allowed' })
    // A gateway answering 404 without a problem body: the node says so and keeps what it got.
    const bare = await createObserverService(
      {},
      { journal: createMemoryJournal(), dispatch: async () => new Response(null, { status: 404 }) },
    )
    const r2 = await runWorkflow(bare, { name: 'no body', nodes: [{ id: 'm', mode: 'memory.search', input: { query: 'x' } }] })
    expect(r2.body.nodes[0].error).toMatchObject({
      code: 'OBSERVER_NODE_BAD_RESPONSE',
      status: 502,
      upstream_status: 404,
      upstream_body: '',
    })
  })

  it('fails a node on a non-JSON answer, an oversized answer, or a throwing dispatch', async () => {
    const { svc } = await setup({ maxNodeOutputBytes: 4096 })
    const r = await runWorkflow(svc, {
      name: 'bad answers',
      nodes: [
        { id: 'text', mode: 'embed', input: { texts: ['text'] } },
        { id: 'huge', mode: 'embed', input: { texts: ['huge:10000'] } },
        { id: 'boom', mode: 'embed', input: { texts: ['boom'] } },
        { id: 'fine', mode: 'embed', input: { texts: ['huge:100'] } },
      ],
    })
    const nodes = byId(r.body)
    expect(nodes.text.error).toMatchObject({
      code: 'OBSERVER_NODE_BAD_RESPONSE',
      status: 502,
      upstream_status: 200,
      upstream_body: 'not json',
    })
    expect(nodes.huge.error).toMatchObject({ code: 'OBSERVER_NODE_OUTPUT_TOO_LARGE', status: 502, limit_bytes: 4096 })
    // The fake router turns the throw into kit's INTERNAL problem, which the node reports as is.
    expect(nodes.boom.error).toMatchObject({ code: 'INTERNAL', status: 500 })
    expect(nodes.fine.status).toBe('ok')

    const throwing = await createObserverService(
      {},
      {
        journal: createMemoryJournal(),
        dispatch: async () => {
          throw new Error('socket hang up at /secret/path')
        },
      },
    )
    const t = await runWorkflow(throwing, { name: 'throws', nodes: [{ id: 'a', mode: 'embed', input: { texts: [] } }] })
    expect(t.status).toBe(200)
    expect(t.body.nodes[0].error).toMatchObject({ code: 'INTERNAL', status: 500 })
    expect(JSON.stringify(t.body)).not.toContain('/secret/path')
  })

  it('times a slow node out with OBSERVER_NODE_TIMEOUT and skips its dependents', async () => {
    const { svc } = await setup({ nodeTimeoutMs: 50 })
    const started = performance.now()
    const r = await runWorkflow(svc, {
      name: 'slow',
      nodes: [
        { id: 'slow', mode: 'embed', input: { texts: ['slow:2000'] } },
        { id: 'next', mode: 'embed', depends_on: ['slow'], input: { texts: ['x'] } },
        { id: 'quick', mode: 'embed', input: { texts: ['y'] } },
      ],
    })
    expect(performance.now() - started).toBeLessThan(1500)
    const nodes = byId(r.body)
    expect(nodes.slow.error).toMatchObject({ code: 'OBSERVER_NODE_TIMEOUT', status: 504, timeout_ms: 50 })
    expect(nodes.next).toMatchObject({ status: 'skipped', skipped_because: 'slow' })
    expect(nodes.quick.status).toBe('ok')
  })

  it('ends the run at workflowTimeoutMs: running and waiting nodes fail, dependents are skipped', async () => {
    const { svc, dispatch } = await setup({ workflowTimeoutMs: 80, nodeConcurrency: 1 })
    const started = performance.now()
    const r = await runWorkflow(svc, {
      name: 'deadline',
      nodes: [
        { id: 'a', mode: 'embed', input: { texts: ['slow:2000'] } },
        { id: 'b', mode: 'embed', input: { texts: ['never called'] } },
        { id: 'c', mode: 'embed', depends_on: ['b'], input: { texts: ['x'] } },
      ],
    })
    expect(performance.now() - started).toBeLessThan(1500)
    const nodes = byId(r.body)
    expect(nodes.a.error).toMatchObject({ code: 'OBSERVER_WORKFLOW_TIMEOUT', status: 504 })
    expect(nodes.b.error).toMatchObject({ code: 'OBSERVER_WORKFLOW_TIMEOUT', status: 504 })
    expect(nodes.c).toMatchObject({ status: 'skipped', skipped_because: 'b' })
    expect(dispatch.calls).toHaveLength(1)
    expect(r.body.success).toBe(false)
  })

  it('answers 503 OBSERVER_BUSY with Retry-After when maxConcurrentRuns are running', async () => {
    const { svc } = await setup({ maxConcurrentRuns: 1, busyRetryAfterSeconds: 2 })
    const slow = runWorkflow(svc, { name: 'hog', nodes: [{ id: 'a', mode: 'embed', input: { texts: ['slow:100'] } }] })
    await until(() => svc.stats().runs.running === 1)
    const busy = await runWorkflow(svc, { name: 'late', nodes: [{ id: 'a', mode: 'embed', input: { texts: ['x'] } }] })
    expect([busy.status, busy.body.code, busy.headers.get('retry-after')]).toEqual([503, 'OBSERVER_BUSY', '2'])
    expect((await slow).status).toBe(200)
    expect(svc.stats().runs.running).toBe(0)
    expect((await runWorkflow(svc, { name: 'later', nodes: [{ id: 'a', mode: 'embed', input: { texts: ['x'] } }] })).status).toBe(200)
  })

  it('is callable in process: runWorkflow() checks the same way and returns the run', async () => {
    const { svc } = await setup()
    const run = await svc.runWorkflow({ name: 'direct', nodes: [{ id: 'a', mode: 'embed', input: { texts: ['x'] } }] })
    expect(run.success).toBe(true)
    expect(svc.getRun(run.run_id)?.name).toBe('direct')
    await expect(svc.runWorkflow({ name: 'direct', nodes: [] })).rejects.toMatchObject({ code: 'HTTP_INVALID_REQUEST', status: 400 })
  })
})

describe('GET /v1/observer/runs', () => {
  it('reads a run by id and 404s an unknown one', async () => {
    const { svc } = await setup()
    const r = await runWorkflow(svc, { name: 'keep me', nodes: [{ id: 'a', mode: 'embed', input: { texts: ['x'] } }] })
    const got = await getJson(svc, `/v1/observer/runs/${r.body.run_id}`)
    expect([got.status, got.body]).toEqual([200, r.body])
    const missing = await getJson(svc, '/v1/observer/runs/00000000-0000-4000-8000-000000000000')
    expect([missing.status, missing.body.code]).toEqual([404, 'OBSERVER_RUN_NOT_FOUND'])
    const odd = await getJson(svc, '/v1/observer/runs/%E2%9C%93')
    expect([odd.status, odd.body.code]).toEqual([404, 'OBSERVER_RUN_NOT_FOUND'])
  })

  it('lists summaries newest first, without outputs, honouring limit', async () => {
    const { svc } = await setup()
    for (const name of ['one', 'two', 'three']) {
      await runWorkflow(svc, {
        name,
        nodes: [
          { id: 'a', mode: 'validate', input: { kind: name === 'two' ? 'reject' : 'email' } },
          { id: 'b', mode: 'embed', depends_on: ['a'], input: { texts: ['x'] } },
        ],
      })
    }
    const all = await getJson(svc, '/v1/observer/runs')
    expect(all.status).toBe(200)
    expect(all.body.runs.map((r: Json) => r.name)).toEqual(['three', 'two', 'one'])
    const two = all.body.runs[1]
    expect(two.success).toBe(false)
    expect(two.nodes).toEqual([
      { id: 'a', mode: 'validate', status: 'failed', duration_ms: two.nodes[0].duration_ms, error_code: 'VALIDATION_FAILED' },
      { id: 'b', mode: 'embed', status: 'skipped', duration_ms: 0, skipped_because: 'a' },
    ])
    expect(JSON.stringify(all.body)).not.toContain('"output"')
    const limited = await getJson(svc, '/v1/observer/runs?limit=1')
    expect(limited.body.runs.map((r: Json) => r.name)).toEqual(['three'])
    for (const q of ['?limit=0', '?limit=x', '?limit=1001']) {
      const bad = await getJson(svc, `/v1/observer/runs${q}`)
      expect([bad.status, bad.body.code]).toEqual([400, 'HTTP_INVALID_REQUEST'])
    }
  })

  it('keeps only the newest maxRuns in memory', async () => {
    const { svc } = await setup({ maxRuns: 2 })
    const ids: string[] = []
    for (let i = 0; i < 3; i++)
      ids.push((await runWorkflow(svc, { name: `r${i}`, nodes: [{ id: 'a', mode: 'embed', input: { texts: ['x'] } }] })).body.run_id)
    expect((await getJson(svc, `/v1/observer/runs/${ids[0]}`)).status).toBe(404)
    expect((await getJson(svc, `/v1/observer/runs/${ids[2]}`)).status).toBe(200)
    expect(svc.stats().runs).toMatchObject({ total: 3, kept: 2 })
  })

  it('answers 405 on other methods and 404 on unknown observer paths', async () => {
    const { svc } = await setup()
    const wrong = await send(svc, jsonRequest('GET', '/v1/observer/workflows/run'))
    expect([wrong.status, wrong.headers.get('allow')]).toEqual([405, 'POST'])
    const unknown = await send(svc, jsonRequest('GET', '/v1/observer/nope'))
    expect([unknown.status, unknown.body.code]).toEqual([404, 'HTTP_NOT_FOUND'])
  })
})
