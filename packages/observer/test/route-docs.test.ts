import { journalErrors } from '@lakehouse/journal'
import type { Handler } from '@lakehouse/kit'
import { documentedAnswers, jsonRequest } from '@lakehouse/kit/testing'
import { describe, expect, it } from 'vitest'
import { createObserverService, observerErrors } from '../src/index.ts'
import { createFakeDispatch, createFlakyJournal, setup, until } from './helpers.ts'

const REGISTRIES = [observerErrors, journalErrors]
const EVENTS = '/v1/observer/events'
const RUN = '/v1/observer/workflows/run'

/** Sends `req` and returns its status, code and what in the answer is not as documented. */
async function answer(handler: Handler, req: Request) {
  const check = documentedAnswers(handler, REGISTRIES)
  const res = await handler(req)
  const body = (await res.clone().json()) as { code?: string }
  return { status: res.status, code: body.code, wrong: await check(req, res) }
}

const post = (path: string, body: unknown) => jsonRequest('POST', path, body)
const get = (path: string) => jsonRequest('GET', path)
async function flakySetup() {
  const flaky = createFlakyJournal()
  const svc = await createObserverService({}, { journal: flaky.journal, dispatch: createFakeDispatch().handler })
  return { svc, flaky }
}

const node = (id: string, extra: Record<string, unknown> = {}) => ({ id, mode: 'embed', input: { texts: [id] }, ...extra })

describe('events answer as documented', () => {
  it('on posts and reads', async () => {
    const { svc } = await setup({ maxEventBytes: 256, ringCapacity: 2 })
    const cases: [Request, number, string | undefined][] = [
      [post(EVENTS, { type: 'ingest.completed', source: 'ingest', data: { rows: 3 } }), 202, undefined],
      [post(EVENTS, { events: [{ type: 'a' }, { type: 'b', source: null }, { type: 'a', data: [1, 'x'] }] }), 202, undefined],
      [post(EVENTS, { events: [] }), 400, 'HTTP_INVALID_REQUEST'],
      [post(EVENTS, { type: 'Bad Type' }), 400, 'HTTP_INVALID_REQUEST'],
      [post(EVENTS, { type: 'a', data: 'x'.repeat(300) }), 413, 'OBSERVER_EVENT_TOO_LARGE'],
      [post(EVENTS, '{"type":'), 400, 'HTTP_MALFORMED_JSON'],
      // The ring holds 2 of the 4 events: a read from 0 has a gap.
      [get(EVENTS), 200, undefined],
      [get(`${EVENTS}?since=3&limit=1&type=a`), 200, undefined],
      [get(`${EVENTS}?since=999`), 200, undefined],
      [get(`${EVENTS}?limit=0`), 400, 'HTTP_INVALID_REQUEST'],
      [get(`${EVENTS}?since=-1`), 400, 'HTTP_INVALID_REQUEST'],
      [get(`${EVENTS}?type=A`), 400, 'HTTP_INVALID_REQUEST'],
    ]
    for (const [req, status, code] of cases) expect(await answer(svc.handler, req), req.url).toEqual({ status, code, wrong: [] })
  })

  it('on an empty ring', async () => {
    const { svc } = await setup()
    expect(await answer(svc.handler, get(EVENTS))).toEqual({ status: 200, code: undefined, wrong: [] })
  })

  it('when the journal fails, and once closed', async () => {
    const { svc, flaky } = await flakySetup()
    flaky.failWhen(() => true)
    expect(await answer(svc.handler, post(EVENTS, { type: 'a' }))).toEqual({ status: 503, code: 'JOURNAL_WRITE_FAILED', wrong: [] })
    flaky.heal()
    await svc.close()
    expect(await answer(svc.handler, post(EVENTS, { type: 'a' }))).toEqual({ status: 503, code: 'OBSERVER_CLOSED', wrong: [] })
  })
})

describe('workflows answer as documented', () => {
  it('on runs that succeed, fail and are refused', async () => {
    const { svc } = await setup({ maxNodes: 4, maxRunRecordBytes: 48 * 1024 })
    const cases: [unknown, number, string | undefined][] = [
      [
        {
          name: 'fine',
          nodes: [node('a'), { id: 'b', mode: 'embed', depends_on: ['a'], input: { texts: [{ $from: 'a', path: 'model' }] } }],
        },
        200,
        undefined,
      ],
      [
        {
          name: 'failing',
          nodes: [
            { id: 'bad', mode: 'validate', input: { kind: 'reject' } },
            node('after', { depends_on: ['bad'] }),
            { id: 'boom', mode: 'embed', input: { texts: ['boom'] } },
            { id: 'text', mode: 'embed', input: { texts: ['text'] } },
          ],
        },
        200,
        undefined,
      ],
      [
        { name: 'unresolved', nodes: [node('a'), node('b', { input: { texts: [{ $from: 'a', path: 'nope.0' }] }, depends_on: ['a'] })] },
        200,
        undefined,
      ],
      [{ name: 'big', nodes: [{ id: 'huge', mode: 'embed', input: { texts: ['huge:60000'] } }] }, 200, undefined],
      [{ name: 'w', nodes: [] }, 400, 'HTTP_INVALID_REQUEST'],
      [{ name: 'w', nodes: [node('a'), node('b'), node('c'), node('d'), node('e')] }, 400, 'OBSERVER_WORKFLOW_TOO_LARGE'],
      [{ name: 'w', nodes: [node('a', { mode: 'fax' })] }, 400, 'OBSERVER_UNKNOWN_MODE'],
      [{ name: 'w', nodes: [{ id: 'd', mode: 'draft', input: { worker_id: 'W-1' } }] }, 400, 'OBSERVER_WORKFLOW_INVALID'],
      [{ name: 'w', nodes: [node('a'), node('a')] }, 400, 'OBSERVER_DUPLICATE_NODE'],
      [{ name: 'w', nodes: [node('a', { depends_on: ['ghost'] })] }, 400, 'OBSERVER_UNKNOWN_DEPENDENCY'],
      [{ name: 'w', nodes: [node('a'), node('b', { input: { texts: [{ $from: 'a' }] } })] }, 400, 'OBSERVER_REF_INVALID'],
      [{ name: 'w', nodes: [node('a', { depends_on: ['b'] }), node('b', { depends_on: ['a'] })] }, 400, 'OBSERVER_WORKFLOW_CYCLE'],
    ]
    for (const [body, status, code] of cases) {
      expect(await answer(svc.handler, post(RUN, body)), JSON.stringify(body).slice(0, 80)).toEqual({ status, code, wrong: [] })
    }
    // Runs as kept: the big one lost its output to fit maxRunRecordBytes.
    const { runs } = svc.stats()
    expect(runs.kept).toBe(4)
    for (const run of svc.listRuns(10)) {
      expect(await answer(svc.handler, get(`/v1/observer/runs/${run.run_id}`))).toEqual({ status: 200, code: undefined, wrong: [] })
    }
    expect(svc.listRuns(10).some((r) => r.truncated)).toBe(true)
    for (const [path, status, code] of [
      ['/v1/observer/runs', 200, undefined],
      ['/v1/observer/runs?limit=2', 200, undefined],
      ['/v1/observer/runs?limit=x', 400, 'HTTP_INVALID_REQUEST'],
      ['/v1/observer/runs/no-such-run', 404, 'OBSERVER_RUN_NOT_FOUND'],
      ['/v1/observer/stats', 200, undefined],
    ] as const) {
      expect(await answer(svc.handler, get(path)), path).toEqual({ status, code, wrong: [] })
    }
  })

  it('when every slot is taken', async () => {
    const { svc } = await setup({ maxConcurrentRuns: 1 })
    const slow = svc.handler(post(RUN, { name: 'hog', nodes: [{ id: 'a', mode: 'embed', input: { texts: ['slow:100'] } }] }))
    await until(() => svc.stats().runs.running === 1)
    expect(await answer(svc.handler, post(RUN, { name: 'late', nodes: [node('a')] }))).toEqual({
      status: 503,
      code: 'OBSERVER_BUSY',
      wrong: [],
    })
    expect((await slow).status).toBe(200)
  })

  it('when the journal fails, and once closed', async () => {
    const { svc, flaky } = await flakySetup()
    flaky.failWhen(() => true)
    expect(await answer(svc.handler, post(RUN, { name: 'w', nodes: [node('a')] }))).toEqual({
      status: 503,
      code: 'JOURNAL_WRITE_FAILED',
      wrong: [],
    })
    flaky.heal()
    await svc.close()
    expect(await answer(svc.handler, post(RUN, { name: 'w', nodes: [node('a')] }))).toEqual({
      status: 503,
      code: 'OBSERVER_CLOSED',
      wrong: [],
    })
    expect(await answer(svc.handler, get('/v1/observer/stats'))).toEqual({ status: 200, code: undefined, wrong: [] })
  })
})

describe('the check can fail', () => {
  it('flags a body or a code the docs do not describe', async () => {
    const { svc } = await setup()
    const check = documentedAnswers(svc.handler, REGISTRIES)
    const json = (status: number, body: unknown, type = 'application/json') =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': type } })
    expect(await check(get(EVENTS), json(200, { events: [], next: 0, gap: false, oldest_seq: 0, last_seq: -1 }))).not.toEqual([])
    const problem = {
      type: 'urn:lakehouse:problem:OBSERVER_BUSY',
      title: 't',
      status: 503,
      detail: 'd',
      instance: EVENTS,
      code: 'OBSERVER_BUSY',
    }
    expect(await check(post(EVENTS, { type: 'a' }), json(503, problem, 'application/problem+json'))).not.toEqual([])
  })
})
