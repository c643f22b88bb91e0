// @lakehouse/corpus is not a dependency of this package (adding it needs a lockfile update);
// tests import its public entry by path, which resolves its own dependencies from its own folder.
import { generateWorkerRows } from '@lakehouse/corpus'
import { jsonRequest } from '@lakehouse/kit/testing'
import type { ChatCompletion, ChatMessage, ChatOptions, ProviderClient, ProviderKind } from '@lakehouse/providers'
import { createValidatorService, type ValidatorService } from '@lakehouse/validator'
import { expect } from 'vitest'
import {
  createDraftService,
  createInMemoryWorkerSource,
  type DraftConfig,
  type DraftService,
  type JobSpec,
  type WorkerSource,
} from '../src/index.ts'

export { generateWorkerRows }

/** A hand-written worker, independent of the corpus generator, for exact-output tests. */
export const MARIA = Object.freeze({
  worker_id: 'W-000042',
  name: 'Maria L. Garcia',
  email: 'maria.garcia42@example.com',
  phone: '(214) 555-0142',
  role: 'forklift operator',
  city: 'Dallas',
  state: 'TX',
  skills: 'RF scanning; sit-down forklift; dock operations; inventory cycle counts; stand-up reach truck',
  certifications: 'OSHA-10; Forklift Certified; Reach Truck Certified',
  years_experience: 7,
  reliability_score: 0.93,
  resume_text: 'Seven years in distribution centers.',
})

export const FULL_JOB: JobSpec = Object.freeze({
  title: 'forklift operator',
  site: 'Acme Logistics DC-4',
  city: 'Dallas',
  start: '2025-03-03',
  shift: '6am-2:30pm',
  pay_rate: 19.5,
  contact_name: 'Dana Reyes',
  contact_phone: '214-555-0100',
})

export const MINIMAL_JOB: JobSpec = Object.freeze({ title: 'warehouse associate', site: 'Northpoint Fulfillment', start: 'next Monday' })

export const LONG_JOB: JobSpec = Object.freeze({
  title: 'senior industrial maintenance and controls technician for the second expansion phase',
  site: 'Consolidated Regional Distribution and Cross-Dock Facility Number Seventeen, North Campus, Building C',
  city: 'Fort Worth',
  start: '2025-11-17',
  shift: 'rotating 12-hour nights, Thursday through Sunday with mandatory overtime during peak',
  pay_rate: '$31.75/hr plus $2 shift differential and weekly bonus',
  contact_name: 'Alexandra Montgomery-Whitfield',
  contact_phone: '+1 817 555 0199',
})

/** Characters outside GSM-7 everywhere a job has text. */
export const UNICODE_JOB: JobSpec = Object.freeze({
  title: 'line cook \u2014 \u201cbrunch\u201d crew \u{1F373}',
  site: 'Caf\u00e9 Ol\u00e1 S\u00e3o Jo\u00e3o',
  city: 'San Jos\u00e9',
  start: 'Monday\u2026 maybe Tuesday',
  shift: '7\u20133',
  pay_rate: '\u20ac18/hr',
  contact_name: '\u0141ucja Nowak',
  contact_phone: '408-555-0123',
})

export const JOBS: Readonly<Record<string, JobSpec>> = { FULL_JOB, MINIMAL_JOB, LONG_JOB, UNICODE_JOB }

export type Calls = { model: string; messages: readonly ChatMessage[]; options: ChatOptions | undefined }[]

/** A ProviderClient that answers chat with `reply` and records every call; embedding is not used by draft. */
export function fakeProvider(
  kind: ProviderKind,
  reply: (model: string, messages: readonly ChatMessage[]) => ChatCompletion | Promise<ChatCompletion>,
): ProviderClient & { readonly calls: Calls } {
  const calls: Calls = []
  return {
    kind,
    calls,
    async chat(model, messages, options) {
      calls.push({ model, messages, options })
      return reply(model, messages)
    },
    embed: () => Promise.reject(new Error('draft never embeds')),
    async close() {},
  }
}

export const realValidator = (): ValidatorService => createValidatorService()

export interface Setup {
  readonly draft: DraftService
  readonly validator: ValidatorService
}

export function setup(
  options: { workers?: WorkerSource; providers?: Record<string, ProviderClient>; config?: Partial<DraftConfig> } = {},
): Setup {
  const validator = realValidator()
  const workers = options.workers ?? createInMemoryWorkerSource([MARIA])
  const draft = createDraftService(options.config, { workers, validator, ...(options.providers ? { providers: options.providers } : {}) })
  return { draft, validator }
}

// biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected freely
export type Json = any

export interface Reply {
  readonly status: number
  readonly headers: Headers
  /** The exact response bytes, as text. */
  readonly text: string
  readonly body: Json
}

export async function send(svc: DraftService, req: Request): Promise<Reply> {
  const res = await svc.handler(req)
  const text = await res.text()
  const body = text === '' ? undefined : JSON.parse(text)
  expect(res.headers.get('content-type')).toBe(res.status >= 400 ? 'application/problem+json' : 'application/json')
  return { status: res.status, headers: res.headers, text, body }
}

export function post(svc: DraftService, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return send(svc, jsonRequest('POST', path, body, headers))
}

/** Asserts status and code of a problem and returns it. */
export function expectProblem(reply: Reply, status: number, code: string): Json {
  expect([reply.status, reply.body?.code], reply.text).toEqual([status, code])
  expect(reply.body.type).toBe(`urn:lakehouse:problem:${code}`)
  return reply.body
}
