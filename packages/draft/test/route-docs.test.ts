import { catalogErrors } from '@lakehouse/catalog'
import type { Handler } from '@lakehouse/kit'
import { documentedAnswers, jsonRequest, TEST_ORIGIN } from '@lakehouse/kit/testing'
import type { ChatCompletion, ProviderClient } from '@lakehouse/providers'
import { providersErrors } from '@lakehouse/providers'
import { queryErrors } from '@lakehouse/query'
import { describe, expect, it } from 'vitest'
import { DRAFT_MOUNT, DRAFT_MOUNT_CHAT, draftErrors, type WorkerSource } from '../src/index.ts'
import { FULL_JOB, fakeProvider, LONG_JOB, MARIA, MINIMAL_JOB, setup } from './helpers.ts'

const REGISTRIES = [draftErrors, providersErrors, queryErrors, catalogErrors]
const EMAIL = `${DRAFT_MOUNT}/email`
const SMS = `${DRAFT_MOUNT}/sms`

/** Sends `req` and returns its status, code and what in the answer is not as documented. */
async function answer(handler: Handler, req: Request) {
  const check = documentedAnswers(handler, REGISTRIES)
  const res = await handler(req)
  const body = (await res.clone().json()) as { code?: string }
  return { status: res.status, code: body.code, wrong: await check(req, res) }
}

const post = (path: string, body: unknown) => jsonRequest('POST', path, body)
const replying = (reply: () => ChatCompletion | Promise<ChatCompletion>): Record<string, ProviderClient> => ({
  ollama: fakeProvider('ollama', reply),
  openai: fakeProvider('openai', reply),
})
const failing = (err: Error): WorkerSource => ({ get: () => Promise.reject(err) })

describe('POST /v1/chat answers as documented', () => {
  const { handler } = setup({
    providers: {
      ollama: fakeProvider('ollama', () => ({ content: 'hello', usage: { prompt_tokens: 3, completion_tokens: 1 } })),
      openai: fakeProvider('openai', () => {
        throw providersErrors.problem('PROVIDER_REJECTED', { detail: 'openai answered 401', extensions: { upstream_status: 401 } })
      }),
    },
  }).draft
  const user = [{ role: 'user', content: 'What can you do?' }]

  it.each([
    ['the template model', post(DRAFT_MOUNT_CHAT, { model: 'local/template', messages: user }), 200, undefined],
    ['the echo model', post(DRAFT_MOUNT_CHAT, { model: 'local/echo', messages: user }), 200, undefined],
    ['a provider with usage', post(DRAFT_MOUNT_CHAT, { model: 'ollama/llama3', messages: user, max_tokens: 5 }), 200, undefined],
    ['a provider that refuses', post(DRAFT_MOUNT_CHAT, { model: 'openai/gpt', messages: user }), 502, 'PROVIDER_REJECTED'],
    ['an unknown model', post(DRAFT_MOUNT_CHAT, { model: 'acme/x', messages: user }), 400, 'DRAFT_UNKNOWN_MODEL'],
    ['a bad body', post(DRAFT_MOUNT_CHAT, { model: 'local/echo', messages: [], stream: true }), 400, 'HTTP_INVALID_REQUEST'],
    ['malformed JSON', post(DRAFT_MOUNT_CHAT, '{"model"'), 400, 'HTTP_MALFORMED_JSON'],
    [
      'a text body',
      new Request(`${TEST_ORIGIN}${DRAFT_MOUNT_CHAT}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }),
      415,
      'HTTP_UNSUPPORTED_MEDIA_TYPE',
    ],
  ])('%s', async (_label, req, status, code) => {
    expect(await answer(handler, req)).toEqual({ status, code, wrong: [] })
  })

  it('past maxMessages (configuration)', async () => {
    const { draft } = setup({ config: { maxMessages: 1 } })
    const r = await answer(draft.handler, post(DRAFT_MOUNT_CHAT, { model: 'local/echo', messages: [...user, ...user] }))
    expect(r).toEqual({ status: 400, code: 'HTTP_INVALID_REQUEST', wrong: [] })
  })
})

describe.each([
  ['email', EMAIL],
  ['sms', SMS],
])('POST /v1/draft/%s answers as documented', (_kind, path) => {
  const { handler } = setup({ providers: replying(() => ({ content: 'Hi Maria, send your SSN 123-45-6789 to start.' })) }).draft

  it.each([
    ['a full job', { worker_id: MARIA.worker_id, job: FULL_JOB }, 200, undefined],
    ['a minimal job', { worker_id: MARIA.worker_id, job: MINIMAL_JOB, model: 'local/template' }, 200, undefined],
    ['a long job', { worker_id: MARIA.worker_id, job: LONG_JOB }, 200, undefined],
    ['an unknown worker', { worker_id: 'W-404', job: FULL_JOB }, 404, 'DRAFT_WORKER_NOT_FOUND'],
    ['a model that cannot draft', { worker_id: MARIA.worker_id, job: FULL_JOB, model: 'local/echo' }, 400, 'DRAFT_UNKNOWN_MODEL'],
    ['a draft the validator refuses', { worker_id: MARIA.worker_id, job: FULL_JOB, model: 'ollama/m' }, 422, 'DRAFT_FAILED_VALIDATION'],
    ['a job without a title', { worker_id: MARIA.worker_id, job: { site: 'x', start: 'y' } }, 400, 'HTTP_INVALID_REQUEST'],
  ])('%s', async (_label, body, status, code) => {
    expect(await answer(handler, post(path, body))).toEqual({ status, code, wrong: [] })
  })

  it('when the provider times out', async () => {
    const { draft } = setup({ providers: replying(() => Promise.reject(providersErrors.problem('PROVIDER_TIMEOUT', { detail: 'slow' }))) })
    const r = await answer(draft.handler, post(path, { worker_id: MARIA.worker_id, job: FULL_JOB, model: 'openai/gpt' }))
    expect(r).toEqual({ status: 504, code: 'PROVIDER_TIMEOUT', wrong: [] })
  })

  it.each([
    [catalogErrors.problem('CATALOG_DATASET_UNREADABLE', { detail: 'workers cannot be read', extensions: { dataset: 'workers' } }), 503],
    [queryErrors.problem('QUERY_BUSY', { detail: 'busy' }), 503],
    [queryErrors.problem('QUERY_INVALID', { detail: 'no column worker_id' }), 400],
  ])('when the worker lookup fails with %s', async (problem, status) => {
    const { draft } = setup({ workers: failing(problem) })
    const r = await answer(draft.handler, post(path, { worker_id: MARIA.worker_id, job: FULL_JOB }))
    expect(r).toEqual({ status, code: problem.code, wrong: [] })
  })
})

describe('a draft that passes with warnings', () => {
  it('answers 200 with the validator’s warnings as documented', async () => {
    const { draft } = setup({ providers: replying(() => ({ content: 'Hi Maria, Łucja here: a shift starts Monday. Reply YES.' })) })
    const req = post(SMS, { worker_id: MARIA.worker_id, job: FULL_JOB, model: 'ollama/m' })
    const check = documentedAnswers(draft.handler, REGISTRIES)
    const res = await draft.handler(req)
    const body = (await res.clone().json()) as { validation: { warnings: { reason: string }[] } }
    expect([res.status, body.validation.warnings.map((w) => w.reason)]).toEqual([200, ['ucs2_encoding']])
    expect(await check(req, res)).toEqual([])
  })
})

describe('the check can fail', () => {
  it('flags a body or a code the docs do not describe', async () => {
    const { handler } = setup().draft
    const check = documentedAnswers(handler, REGISTRIES)
    const req = post(EMAIL, { worker_id: MARIA.worker_id, job: FULL_JOB })
    const json = (status: number, body: unknown, type = 'application/json') =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': type } })
    expect(await check(req, json(200, { worker_id: 'W', model: 'local/template', draft: { to: 'x' } }))).not.toEqual([])
    const problem = {
      type: 'urn:lakehouse:problem:QUERY_FORBIDDEN',
      title: 't',
      status: 403,
      detail: 'd',
      instance: EMAIL,
      code: 'QUERY_FORBIDDEN',
    }
    expect(await check(req, json(403, problem, 'application/problem+json'))).not.toEqual([])
  })
})
