import type { Journal, JournalRecord } from '@lakehouse/journal'
import { journalErrors } from '@lakehouse/journal'
import { createMemoryJournal } from '@lakehouse/journal/testing'
import { createRouter, defineErrors, type Handler, jsonResponse, type RouteDoc, readJsonBody } from '@lakehouse/kit'
import { jsonRequest } from '@lakehouse/kit/testing'
import { createObserverService, type ObserverConfig, type ObserverService } from '../src/index.ts'

// biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected freely
export type Json = any

export const FIXED_NOW = new Date('2025-03-01T12:00:00.000Z')

export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly body: Json
}

export async function send(svc: { handler: Handler }, req: Request): Promise<Reply> {
  const res = await svc.handler(req)
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) }
}

export const postEvents = (svc: ObserverService, body: unknown) => send(svc, jsonRequest('POST', '/v1/observer/events', body))
export const getEvents = (svc: ObserverService, query = '') => send(svc, jsonRequest('GET', `/v1/observer/events${query}`))
export const runWorkflow = (svc: ObserverService, body: unknown) => send(svc, jsonRequest('POST', '/v1/observer/workflows/run', body))
export const getJson = (svc: ObserverService, path: string) => send(svc, jsonRequest('GET', path))

const fakeErrors = defineErrors('fake', {
  VALIDATION_FAILED: { status: 422, title: 'Validation Failed', description: 'fake validator refusal' },
  QUERY_FORBIDDEN: { status: 403, title: 'Statement Forbidden', description: 'fake query refusal' },
})

/** The stand-ins are never published: one placeholder doc for all of them. */
const FAKE_DOC: RouteDoc = {
  summary: 'A stand-in component',
  responses: { 200: { description: 'Whatever the stand-in answers.' } },
  errors: [],
}

export interface DispatchCall {
  readonly url: string
  readonly path: string
  readonly body: Json
  readonly requestId: string | null
}

export interface FakeDispatch {
  readonly handler: Handler
  readonly calls: DispatchCall[]
  /** Most component calls in flight at once. */
  readonly maxInFlight: number
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls instead of guessing a delay, so a loaded CI box cannot make the test race. */
export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time')
    await sleep(2)
  }
}

export const SQL_ANSWER = {
  columns: [
    { name: 'id', type: 'VARCHAR' },
    { name: 'name', type: 'VARCHAR' },
  ],
  rows: [
    ['W-001', 'Ada Lovelace'],
    ['W-002', 'Grace Hopper'],
  ],
  row_count: 2,
  truncated: false,
}

/**
 * Tiny stand-ins for the components, on the real kit router and body reader, so nodes meet
 * kit's 404/405/415 and problem bodies exactly as through the gateway. Trigger inputs:
 * validate `{kind: 'reject'}` → 422; sql starting with DROP → 403; embed text `slow:<ms>` waits;
 * `boom` throws; `text` answers text/plain; `huge:<n>` answers n bytes of JSON.
 */
export function createFakeDispatch(): FakeDispatch {
  const calls: DispatchCall[] = []
  let inFlight = 0
  let maxInFlight = 0
  const router = createRouter()
    .post('/v1/validate', FAKE_DOC, async ({ req }) => {
      const body = (await readJsonBody(req)) as Json
      if (body.kind === 'reject') {
        throw fakeErrors.problem('VALIDATION_FAILED', {
          detail: '1 validation error',
          errors: [{ kind: 'policy', field: '$.payload.body', reason: 'ssn_pattern', message: 'looks like an SSN' }],
        })
      }
      return jsonResponse({ valid: true, kind: body.kind, warnings: [] })
    })
    .post('/v1/embed', FAKE_DOC, async ({ req }) => {
      const body = (await readJsonBody(req)) as Json
      const texts: string[] = Array.isArray(body.texts) ? body.texts : []
      for (const t of texts) {
        if (typeof t !== 'string') continue
        if (t.startsWith('slow:')) await sleep(Number(t.slice(5)))
        if (t === 'boom') throw new Error('fake embed exploded')
        if (t === 'text') return new Response('not json', { status: 200, headers: { 'content-type': 'text/plain' } })
        if (t.startsWith('huge:')) return jsonResponse({ blob: 'x'.repeat(Number(t.slice(5))) })
      }
      return jsonResponse({ model: 'local/fake-3', dim: 3, vectors: texts.map((t, i) => [String(t).length, i, 1]) })
    })
    .post('/v1/query/sql', FAKE_DOC, async ({ req }) => {
      const body = (await readJsonBody(req)) as Json
      if (String(body.sql).toUpperCase().startsWith('DROP'))
        throw fakeErrors.problem('QUERY_FORBIDDEN', { detail: 'only queries are allowed' })
      return jsonResponse(SQL_ANSWER)
    })
    .post('/v1/memory/search', FAKE_DOC, async ({ req }) => {
      const body = (await readJsonBody(req)) as Json
      return jsonResponse({ results: [{ uid: 'trace-1', content: `remembered ${body.query}` }] })
    })
    .post('/v1/matrix/search', FAKE_DOC, async ({ req }) => {
      const body = (await readJsonBody(req)) as Json
      return jsonResponse({ query: body.query, results: [{ id: 'W-001', score: 0.91 }], count: 1 })
    })
    .post('/v1/draft/:channel', FAKE_DOC, async ({ req, param }) => {
      const body = (await readJsonBody(req)) as Json
      return jsonResponse({ channel: param('channel'), worker_id: body.worker_id, text: `Hi ${body.worker_id}` })
    })
    .build()
  return {
    calls,
    get maxInFlight() {
      return maxInFlight
    },
    async handler(req) {
      const url = new URL(req.url)
      const text = await req.clone().text()
      calls.push({
        url: req.url,
        path: url.pathname,
        body: text === '' ? undefined : JSON.parse(text),
        requestId: req.headers.get('x-request-id'),
      })
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      try {
        return await router(req)
      } finally {
        inFlight--
      }
    },
  }
}

export type MemoryJournal = ReturnType<typeof createMemoryJournal>

/** A memory journal whose appends fail (JOURNAL_WRITE_FAILED, nothing written) while `fail` says so. */
export function createFlakyJournal(inner: MemoryJournal = createMemoryJournal()) {
  let fail: (kinds: readonly string[]) => boolean = () => false
  const journal: Journal & { records(): JournalRecord[] } = {
    ...inner,
    append: async (kind, data) => (await journal.appendMany([{ kind, data }]))[0] as JournalRecord,
    async appendMany(items) {
      if (fail(items.map((i) => i.kind))) throw journalErrors.problem('JOURNAL_WRITE_FAILED', { detail: 'injected: disk full' })
      return inner.appendMany(items)
    },
  }
  return {
    journal,
    failWhen(predicate: (kinds: readonly string[]) => boolean) {
      fail = predicate
    },
    heal() {
      fail = () => false
    },
  }
}

export interface Setup {
  readonly svc: ObserverService
  readonly journal: MemoryJournal
  readonly dispatch: FakeDispatch
}

export async function setup(config: Partial<ObserverConfig> = {}, journal: MemoryJournal = createMemoryJournal()): Promise<Setup> {
  const dispatch = createFakeDispatch()
  const svc = await createObserverService(config, { journal, dispatch: dispatch.handler, now: () => FIXED_NOW })
  return { svc, journal, dispatch }
}

export const kinds = (journal: MemoryJournal) => journal.records().map((r) => r.kind)
