import { journalErrors } from '@lakehouse/journal'
import { createMemoryJournal } from '@lakehouse/journal/testing'
import { problemResponse } from '@lakehouse/kit'
import { documentedAnswers } from '@lakehouse/kit/testing'
import { describe, expect, it } from 'vitest'
import { type MemoryService, memoryErrors } from '../src/index.ts'
import { addData, faultyJournal, ORIGIN, rec, service, TRACES, uid } from './helpers.ts'

interface Seen {
  readonly status: number
  readonly code: unknown
  /** What is not as the route docs say; empty when the answer is as documented. */
  readonly wrong: string[]
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected freely
  readonly body: any
}

function request(method: string, path: string, body?: unknown): Request {
  return new Request(ORIGIN + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
  })
}

function client(svc: MemoryService) {
  const check = documentedAnswers(svc.handler, [memoryErrors, journalErrors])
  return async (method: string, path: string, body?: unknown): Promise<Seen> => {
    const req = request(method, path, body)
    const res = await svc.handler(req)
    const wrong = await check(req, res)
    const text = await res.text()
    const parsed = text === '' ? undefined : JSON.parse(text)
    return { status: res.status, code: parsed?.code, wrong, body: parsed }
  }
}

const answer = ({ status, code, wrong }: Seen) => ({ status, code, wrong })
const ok = (status: number) => ({ status, code: undefined, wrong: [] })
const failed = (status: number, code: string) => ({ status, code, wrong: [] })

const NOBODY = '00000000-0000-4000-8000-ffffffffffff'

describe('memory routes answer as documented', () => {
  it('POST /v1/memory/traces', async () => {
    const send = client(await service())
    const made = await send('POST', TRACES, { content: 'Call the Smith crew first', tags: ['ops', 'crew'], key: 'job-1' })
    expect(answer(made)).toEqual(ok(201))
    expect(answer(await send('POST', TRACES, { content: 'again', key: 'job-1' }))).toEqual(ok(200))
    expect(answer(await send('POST', TRACES, { content: '', tags: ['Ops'] }))).toEqual(failed(400, 'HTTP_INVALID_REQUEST'))
    expect(answer(await send('POST', TRACES, '{"content":'))).toEqual(failed(400, 'HTTP_MALFORMED_JSON'))
  })

  it('GET, PATCH, revise, retire and history of a trace', async () => {
    const send = client(await service())
    const first = (await send('POST', TRACES, { content: 'first', tags: ['a'] })).body
    const at = `${TRACES}/${first.uid}`
    expect(answer(await send('GET', at))).toEqual(ok(200))
    expect(answer(await send('GET', `${TRACES}/${NOBODY}`))).toEqual(failed(404, 'MEMORY_NOT_FOUND'))
    expect(answer(await send('GET', `${TRACES}/NOT-A-UID`))).toEqual(failed(400, 'MEMORY_INVALID_UID'))

    expect(answer(await send('PATCH', at, { tags: ['b'], expected_rev: 1 }))).toEqual(ok(200))
    expect(answer(await send('PATCH', at, { content: 'x', expected_rev: 1 }))).toEqual(failed(409, 'MEMORY_REV_CONFLICT'))
    expect(answer(await send('PATCH', at, { expected_rev: 2 }))).toEqual(failed(400, 'HTTP_INVALID_REQUEST'))
    expect(answer(await send('PATCH', `${TRACES}/${NOBODY}`, { content: 'x' }))).toEqual(failed(404, 'MEMORY_NOT_FOUND'))

    const revised = await send('POST', `${at}/revise`, { content: 'second' })
    expect(answer(revised)).toEqual(ok(201))
    expect(answer(await send('POST', `${TRACES}/${NOBODY}/revise`, { content: 'x' }))).toEqual(failed(404, 'MEMORY_PREDECESSOR_NOT_FOUND'))
    expect(answer(await send('POST', `${at}/revise`, { tags: [] }))).toEqual(failed(400, 'HTTP_INVALID_REQUEST'))

    expect(answer(await send('POST', `${at}/retire`))).toEqual(ok(200))
    expect(answer(await send('POST', `${at}/retire`))).toEqual(ok(200))
    expect(answer(await send('POST', `${TRACES}/${NOBODY}/retire`))).toEqual(failed(404, 'MEMORY_NOT_FOUND'))
    expect(answer(await send('PATCH', at, { content: 'late' }))).toEqual(failed(409, 'MEMORY_RETIRED'))

    const history = await send('GET', `${TRACES}/${revised.body.uid}/history`)
    expect(answer(history)).toEqual(ok(200))
    expect(history.body.chain).toHaveLength(2)
    expect(answer(await send('GET', `${TRACES}/${NOBODY}/history`))).toEqual(failed(404, 'MEMORY_NOT_FOUND'))
    expect(answer(await send('GET', `${TRACES}/x/history`))).toEqual(failed(400, 'MEMORY_INVALID_UID'))
  })

  it('history through a missing predecessor and round a cycle', async () => {
    const [a, b, orphan, gone] = [uid(), uid(), uid(), uid()]
    const journal = createMemoryJournal({
      records: [
        rec(1, 'memory.add', addData(a, 'a', { predecessor: b })),
        rec(2, 'memory.add', addData(b, 'b', { predecessor: a })),
        rec(3, 'memory.add', addData(orphan, 'orphan', { predecessor: gone })),
      ],
    })
    const send = client(await service(journal))
    const truncated = await send('GET', `${TRACES}/${orphan}/history`)
    expect([answer(truncated), truncated.body.missing]).toEqual([ok(200), gone])
    expect(answer(await send('GET', `${TRACES}/${a}/history`))).toEqual(failed(409, 'MEMORY_HISTORY_CYCLE'))
  })

  it('POST /v1/memory/search and GET /v1/memory/stats', async () => {
    const send = client(await service())
    await send('POST', TRACES, { content: 'Smith crew works nights', tags: ['crew'] })
    await send('POST', TRACES, { content: 'Jones crew', tags: ['crew', 'days'] })
    const found = await send('POST', '/v1/memory/search', { text: 'smith crew', limit: 1 })
    expect([answer(found), found.body.total]).toEqual([ok(200), 2])
    expect(answer(await send('POST', '/v1/memory/search', { tags: ['crew'], include_retired: true }))).toEqual(ok(200))
    expect(answer(await send('POST', '/v1/memory/search', { text: '!!!' }))).toEqual(failed(400, 'HTTP_INVALID_REQUEST'))
    expect(answer(await send('POST', '/v1/memory/search', {}))).toEqual(failed(400, 'HTTP_INVALID_REQUEST'))
    expect(answer(await send('GET', '/v1/memory/stats'))).toEqual(ok(200))
  })

  it('writes the journal refuses, and writes after close', async () => {
    const journal = faultyJournal(createMemoryJournal())
    const svc = await service(journal)
    const send = client(svc)
    const trace = (await send('POST', TRACES, { content: 'kept' })).body
    const at = `${TRACES}/${trace.uid}`
    for (const code of ['JOURNAL_WRITE_FAILED', 'JOURNAL_LOCK_TIMEOUT', 'JOURNAL_CLOSED', 'JOURNAL_RECORD_TOO_LARGE'] as const) {
      journal.failWith(journalErrors.problem(code))
      const status = journalErrors.specs[code].status
      expect(answer(await send('POST', TRACES, { content: 'x' }))).toEqual(failed(status, code))
      expect(answer(await send('PATCH', at, { content: 'x' }))).toEqual(failed(status, code))
      expect(answer(await send('POST', `${at}/revise`, { content: 'x' }))).toEqual(failed(status, code))
      if (code !== 'JOURNAL_RECORD_TOO_LARGE') expect(answer(await send('POST', `${at}/retire`))).toEqual(failed(status, code))
    }
    journal.failWith(undefined)
    await svc.close()
    expect(answer(await send('POST', TRACES, { content: 'x' }))).toEqual(failed(503, 'MEMORY_CLOSED'))
    expect(answer(await send('POST', `${at}/retire`))).toEqual(failed(503, 'MEMORY_CLOSED'))
    expect(answer(await send('GET', at))).toEqual(ok(200))
  })

  it('tells an answer that is not as documented', async () => {
    const svc = await service()
    const check = documentedAnswers(svc.handler, [memoryErrors, journalErrors])
    const req = request('GET', '/v1/memory/stats')
    const json = { 'content-type': 'application/json' }
    expect(await check(req, new Response('{"traces":1}', { headers: json }))).not.toEqual([])
    const trace = request('GET', `${TRACES}/${NOBODY}`)
    expect(await check(trace, new Response('{}', { headers: json }))).not.toEqual([])
    // Retire writes, but carries no caller text: a too-large record is not among its codes.
    const retire = request('POST', `${TRACES}/${NOBODY}/retire`)
    expect(await check(retire, problemResponse(journalErrors.problem('JOURNAL_RECORD_TOO_LARGE'), retire.url))).not.toEqual([])
  })
})
