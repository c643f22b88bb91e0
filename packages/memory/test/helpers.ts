import type { Journal, JournalRecord } from '@lakehouse/journal'
import { createMemoryJournal } from '@lakehouse/journal/testing'
import { createLogger, type Logger } from '@lakehouse/kit'
import { createMemoryService, type MemoryConfig, type MemoryService, type Trace } from '../src/index.ts'

export const ORIGIN = 'http://localhost'
export const T0 = Date.parse('2025-01-02T03:04:05.000Z')

/** A clock that moves `stepMs` per call (negative steps go backwards). */
export function clock(stepMs = 1000, start = T0): () => Date {
  let t = start - stepMs
  return () => {
    t += stepMs
    return new Date(t)
  }
}

export type MemoryJournal = ReturnType<typeof createMemoryJournal>

export interface Options {
  readonly config?: Partial<MemoryConfig>
  readonly now?: () => Date
  readonly logger?: Logger
}

export function service(journal: Journal = createMemoryJournal(), options: Options = {}): Promise<MemoryService> {
  return createMemoryService(options.config, {
    journal,
    now: options.now ?? clock(),
    ...(options.logger ? { logger: options.logger } : {}),
  })
}

/** A logger that keeps its JSON lines, for tests that check what was logged. */
export function capturingLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const out: string[] = []
  return {
    logger: createLogger({ level: 'debug', sink: (line) => out.push(line) }),
    lines: () => out.map((l) => JSON.parse(l) as Record<string, unknown>),
  }
}

// biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected freely
export type Json = any

export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly body: Json
}

export async function send(
  svc: MemoryService,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const req = new Request(ORIGIN + path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const res = await svc.handler(req)
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) }
}

export const TRACES = '/v1/memory/traces'

export async function addTrace(svc: MemoryService, content: string, extra: Record<string, unknown> = {}): Promise<Trace> {
  const r = await send(svc, 'POST', TRACES, { content, ...extra })
  if (r.status !== 201) throw new Error(`add failed: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body as Trace
}

let uidCounter = 0
/** A fresh, valid, recognisable uid for seeded records. */
export function uid(): string {
  uidCounter++
  return `00000000-0000-4000-8000-${uidCounter.toString(16).padStart(12, '0')}`
}

/** A journal record as a journal would replay it. */
export function rec(seq: number, kind: string, data: unknown, at = new Date(T0).toISOString()): JournalRecord {
  return { seq, kind, at, writer: '1:test', data }
}

export const addData = (id: string, content: string, extra: Record<string, unknown> = {}) => ({
  uid: id,
  content,
  tags: [],
  predecessor: null,
  key: null,
  at: new Date(T0).toISOString(),
  ...extra,
})

/** Every trace the journal ever created, by uid, as the service now returns them. */
export function dump(svc: MemoryService, journal: MemoryJournal): (Trace | undefined)[] {
  const uids = journal
    .records()
    .filter((r) => r.kind === 'memory.add')
    .map((r) => (r.data as { uid: string }).uid)
  return uids.map((u) => svc.get(u))
}

/** Rejection of a promise as a value, so tests can inspect coded Problems. */
export async function rejectionOf(p: Promise<unknown> | (() => unknown)): Promise<Json> {
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (err) {
    return err
  }
  throw new Error('expected a rejection')
}

/** A journal whose appends fail on demand (fault injection); everything else is the inner journal. */
export function faultyJournal(inner: MemoryJournal): MemoryJournal & { failWith(err: unknown): void } {
  let failure: unknown
  return {
    ...inner,
    async append(kind, data) {
      if (failure !== undefined) throw failure
      return inner.append(kind, data)
    },
    async appendMany(items) {
      if (failure !== undefined) throw failure
      return inner.appendMany(items)
    },
    failWith(err) {
      failure = err
    },
  }
}
