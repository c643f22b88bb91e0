import { jsonRequest } from '@lakehouse/kit/testing'
import { Ajv, type ValidateFunction } from 'ajv'
import { expect } from 'vitest'
import {
  createInMemoryWorkerLookup,
  createValidatorService,
  VALIDATION_BATCH_SCHEMA,
  VALIDATION_OK_SCHEMA,
  VALIDATION_PROBLEM_SCHEMA,
  VALIDATOR_REQUEST_PROBLEM_SCHEMA,
  type ValidatorConfig,
  type ValidatorService,
  type WorkerLookup,
} from '../src/index.ts'

export const KNOWN_WORKERS = ['w-001', 'w-002', 'w-003', 'w-004', 'w-005']

export function service(
  config: Partial<ValidatorConfig> = {},
  workers: WorkerLookup = createInMemoryWorkerLookup(KNOWN_WORKERS),
): ValidatorService {
  return createValidatorService(config, { workers })
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true })
const shapes: Record<string, ValidateFunction> = {
  ok: ajv.compile(VALIDATION_OK_SCHEMA),
  problem422: ajv.compile(VALIDATION_PROBLEM_SCHEMA),
  problem400: ajv.compile(VALIDATOR_REQUEST_PROBLEM_SCHEMA),
  batch: ajv.compile(VALIDATION_BATCH_SCHEMA),
}

export function expectShape(name: keyof typeof shapes & string, body: unknown): void {
  const validate = shapes[name]
  if (validate === undefined) throw new Error(`no shape ${name}`)
  const ok = validate(body)
  expect(validate.errors ?? [], `${name}: ${JSON.stringify(body)}`).toEqual([])
  expect(ok).toBe(true)
}

// biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected freely
export type Json = any

export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly body: Json
}

/**
 * POSTs to the handler and holds every validator response to its published JSON Schema, so
 * each test doubles as a shape test.
 */
export async function send(svc: ValidatorService, req: Request): Promise<Reply> {
  const res = await svc.handler(req)
  const text = await res.text()
  const body = text === '' ? undefined : JSON.parse(text)
  const path = new URL(req.url).pathname
  const code: unknown = body?.code
  if (res.status === 200 && path === '/v1/validate') expectShape('ok', body)
  if (res.status === 200 && path === '/v1/validate/batch') expectShape('batch', body)
  if (res.status === 422) expectShape('problem422', body)
  if (res.status === 400 && typeof code === 'string' && code.startsWith('VALIDATOR_')) expectShape('problem400', body)
  if (res.status >= 400) expect(res.headers.get('content-type')).toBe('application/problem+json')
  else expect(res.headers.get('content-type')).toBe('application/json')
  return { status: res.status, headers: res.headers, text, body }
}

export function post(svc: ValidatorService, path: string, body: unknown): Promise<Reply> {
  return send(svc, jsonRequest('POST', path, body))
}

export function validate(svc: ValidatorService, kind: string, payload: unknown): Promise<Reply> {
  return post(svc, '/v1/validate', { kind, payload })
}

/** `[kind, field, reason]` triples, the part of an entry tests match on. */
export function triples(errors: readonly { kind?: string; field: string; reason: string }[]): string[][] {
  return errors.map((e) => [e.kind ?? '-', e.field, e.reason])
}

export { seededRandom as prng } from '@lakehouse/kit/testing'

export function intIn(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1))
}
