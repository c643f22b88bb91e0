import { defineErrors, kitErrors } from '@lakehouse/kit'
import { documentedAnswers, jsonRequest, TEST_ORIGIN } from '@lakehouse/kit/testing'
import { describe, expect, it } from 'vitest'
import { createInMemoryWorkerLookup, type ValidatorConfig, validatorErrors, type WorkerLookup } from '../src/index.ts'
import { KNOWN_WORKERS, service } from './helpers.ts'

/**
 * The codes a fill's worker lookup passes through come from catalog and query, which this package
 * does not depend on: stand-ins with their statuses. The gateway builds its document from the real
 * registries (and refuses a code none defines), so only the shapes are at stake here.
 */
const lookupErrors = defineErrors('lookup', {
  CATALOG_DATASET_UNREADABLE: { status: 503, title: 'Dataset Unreadable', description: 'stand-in' },
  QUERY_INVALID: { status: 400, title: 'Invalid Query', description: 'stand-in' },
  QUERY_TIMEOUT: { status: 504, title: 'Query Timeout', description: 'stand-in' },
  QUERY_BUSY: { status: 503, title: 'Query Service Busy', description: 'stand-in' },
  QUERY_OUT_OF_MEMORY: { status: 503, title: 'Query Out of Memory', description: 'stand-in' },
  QUERY_UNAVAILABLE: { status: 503, title: 'Query Service Closed', description: 'stand-in' },
})
const REGISTRIES = [validatorErrors, lookupErrors]

/** Sends `req` to a fresh service and returns its status and what in the answer is not as documented. */
async function answer(req: Request, config: Partial<ValidatorConfig> = {}, workers?: WorkerLookup) {
  const { handler } = service(config, workers ?? createInMemoryWorkerLookup(KNOWN_WORKERS))
  const check = documentedAnswers(handler, REGISTRIES)
  const res = await handler(req)
  const body = (await res.clone().json()) as { code?: string }
  return { status: res.status, code: body.code, wrong: await check(req, res) }
}

const post = (path: string, body: unknown) => jsonRequest('POST', path, body)
const sms = { kind: 'sms', payload: { to: '5551234567', body: 'hi' } }
const brokenLookup = (problem: Error): WorkerLookup => ({ existing: () => Promise.reject(problem) })
const unreadable = lookupErrors.problem('CATALOG_DATASET_UNREADABLE', {
  detail: 'workers cannot be read',
  extensions: { dataset: 'workers' },
})
const fill = { kind: 'fill', payload: { headcount: 3, candidate_ids: ['w-001', 'w-002'] } }

describe('POST /v1/validate answers as documented', () => {
  it.each([
    ['a valid sms', post('/v1/validate', sms), 200, undefined],
    ['a fill with a warning', post('/v1/validate', fill), 200, undefined],
    [
      'a long subject (warning)',
      post('/v1/validate', { kind: 'email', payload: { to: 'a@b.co', subject: 's'.repeat(90), body: 'hi' } }),
      200,
      undefined,
    ],
    ['an invalid payload', post('/v1/validate', { kind: 'sms', payload: { to: 'x', body: '' } }), 422, 'VALIDATION_FAILED'],
    ['an unknown kind', post('/v1/validate', { kind: 'fax', payload: {} }), 400, 'VALIDATOR_UNKNOWN_KIND'],
    ['a bad envelope', post('/v1/validate', { kind: 3, payload: [] }), 400, 'HTTP_INVALID_REQUEST'],
    [
      'a schema that does not compile',
      post('/v1/validate', { kind: 'schema', payload: { schema: { type: 'nope' }, data: 1 } }),
      400,
      'VALIDATOR_INVALID_SCHEMA',
    ],
    [
      'a lookbehind pattern',
      post('/v1/validate', { kind: 'schema', payload: { schema: { pattern: '(?<=a)b' }, data: 'b' } }),
      400,
      'VALIDATOR_PATTERN_UNSUPPORTED',
    ],
    ['malformed JSON', post('/v1/validate', '{"kind":'), 400, 'HTTP_MALFORMED_JSON'],
    [
      'a text body',
      new Request(`${TEST_ORIGIN}/v1/validate`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }),
      415,
      'HTTP_UNSUPPORTED_MEDIA_TYPE',
    ],
  ])('%s', async (_label, req, status, code) => {
    const r = await answer(req)
    expect([r.status, r.code, r.wrong]).toEqual([status, code, []])
  })

  it('past maxPatternWork', async () => {
    const data = Array.from({ length: 100 }, () => 'abcdefghij'.repeat(100))
    const req = post('/v1/validate', { kind: 'schema', payload: { schema: { type: 'array', items: { pattern: '^[a-z]+$' } }, data } })
    const r = await answer(req, { maxPatternWork: 200_000 })
    expect([r.status, r.code, r.wrong]).toEqual([400, 'VALIDATOR_PATTERN_WORK_EXCEEDED', []])
  })

  it('when the worker lookup fails', async () => {
    const r = await answer(post('/v1/validate', fill), {}, brokenLookup(unreadable))
    expect([r.status, r.code, r.wrong]).toEqual([503, 'CATALOG_DATASET_UNREADABLE', []])
    const busy = await answer(post('/v1/validate', fill), {}, brokenLookup(lookupErrors.problem('QUERY_BUSY')))
    expect([busy.status, busy.code, busy.wrong]).toEqual([503, 'QUERY_BUSY', []])
  })

  it('past maxBodyBytes', async () => {
    const r = await answer(post('/v1/validate', { kind: 'sms', payload: { to: '5551234567', body: 'x'.repeat(2000) } }), {
      maxBodyBytes: 1024,
    })
    expect([r.status, r.code, r.wrong]).toEqual([413, 'HTTP_BODY_TOO_LARGE', []])
  })
})

describe('POST /v1/validate/batch answers as documented', () => {
  it.each([
    [
      'a mixed batch',
      post('/v1/validate/batch', {
        items: [sms, fill, { kind: 'fax', payload: {} }, { payload: 1 }, { kind: 'sms', payload: { to: 'x', body: 'y' } }],
      }),
      200,
      undefined,
    ],
    ['no items', post('/v1/validate/batch', { items: [] }), 400, 'HTTP_INVALID_REQUEST'],
    ['not an object', post('/v1/validate/batch', [sms]), 400, 'HTTP_INVALID_REQUEST'],
  ])('%s', async (_label, req, status, code) => {
    const r = await answer(req)
    expect([r.status, r.code, r.wrong]).toEqual([status, code, []])
  })

  it('with more items than maxBatchItems', async () => {
    const r = await answer(post('/v1/validate/batch', { items: [sms, sms, sms] }), { maxBatchItems: 2 })
    expect([r.status, r.code, r.wrong]).toEqual([400, 'VALIDATOR_BATCH_TOO_LARGE', []])
  })

  it('with errors cut at maxErrors', async () => {
    const item = { kind: 'schema', payload: { schema: { type: 'array', items: { type: 'string' } }, data: [1, 2, 3, 4] } }
    const r = await answer(post('/v1/validate/batch', { items: [item] }), { maxErrors: 2 })
    expect([r.status, r.wrong]).toEqual([200, []])
  })

  it('when the worker lookup fails', async () => {
    const r = await answer(post('/v1/validate/batch', { items: [fill] }), {}, brokenLookup(lookupErrors.problem('QUERY_TIMEOUT')))
    expect([r.status, r.code, r.wrong]).toEqual([504, 'QUERY_TIMEOUT', []])
  })
})

describe('the check can fail', () => {
  it('flags an answer the docs do not describe', async () => {
    const { handler } = service()
    const check = documentedAnswers(handler, REGISTRIES)
    const req = post('/v1/validate', sms)
    const wrongShape = new Response(JSON.stringify({ valid: 'yes' }), { headers: { 'content-type': 'application/json' } })
    expect(await check(req, wrongShape)).not.toEqual([])
    const undocumented = kitErrors.problem('HTTP_NOT_FOUND')
    const res = new Response(JSON.stringify({ ...undocumented, code: 'HTTP_NOT_FOUND', status: 404 }), {
      status: 404,
      headers: { 'content-type': 'application/problem+json' },
    })
    expect(await check(req, res)).not.toEqual([])
  })
})
