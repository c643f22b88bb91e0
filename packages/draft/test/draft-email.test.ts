import { jsonRequest, TEST_ORIGIN } from '@lakehouse/kit/testing'
import { providersErrors } from '@lakehouse/providers'
import { describe, expect, it } from 'vitest'
import { createInMemoryWorkerSource, DRAFT_MOUNT, DRAFT_SYSTEM_PROMPT } from '../src/index.ts'
import { expectProblem, FULL_JOB, fakeProvider, MARIA, MINIMAL_JOB, post, send, setup } from './helpers.ts'

const EMAIL = `${DRAFT_MOUNT}/email`
const reasons = (errors: { field: string; reason: string }[]) => errors.map((e) => `${e.field} ${e.reason}`)

describe('POST /v1/draft/email with the local drafter', () => {
  const { draft } = setup()

  it('returns a personalised draft that passed the validator', async () => {
    const r = await post(draft, EMAIL, { worker_id: MARIA.worker_id, job: FULL_JOB })
    expect(r.status, r.text).toBe(200)
    expect(Object.keys(r.body)).toEqual(['worker_id', 'model', 'draft', 'validation'])
    expect(r.body.worker_id).toBe('W-000042')
    expect(r.body.model).toBe('local/template')
    expect(r.body.validation).toEqual({ valid: true, warnings: [] })
    const { to, subject, body } = r.body.draft
    expect(to).toBe(MARIA.email)
    expect(subject).toBe('Forklift operator at Acme Logistics DC-4, starting Mon Mar 3')
    for (const fact of [
      'Hi Maria,',
      '7 years of experience as a forklift operator',
      'sit-down forklift, RF scanning and dock operations',
      'Forklift Certified',
      'right in Dallas, where you are based',
      '- Start: Monday, March 3, 2025',
      '- Shift: 6am-2:30pm',
      '- Pay: $19.50/hr',
      'reply to this email or call Dana Reyes at 214-555-0100',
    ]) {
      expect(body).toContain(fact)
    }
    expect(body.endsWith('Thank you,\nDana Reyes')).toBe(true)
  })

  it('leaves out what the job does not say and signs as the staffing team', async () => {
    const r = await post(draft, EMAIL, { worker_id: MARIA.worker_id, job: MINIMAL_JOB, model: 'local/template' })
    expect(r.status).toBe(200)
    const body: string = r.body.draft.body
    expect(body).not.toMatch(/Shift:|Pay:|call /)
    expect(body).toContain('starting next Monday')
    expect(body.endsWith('Thank you,\nThe staffing team')).toBe(true)
  })

  it('answers 404 DRAFT_WORKER_NOT_FOUND for an unknown worker', async () => {
    const body = expectProblem(await post(draft, EMAIL, { worker_id: 'W-999999', job: FULL_JOB }), 404, 'DRAFT_WORKER_NOT_FOUND')
    expect(body.worker_id).toBe('W-999999')
  })

  it('quotes a long worker_id in the detail cut at 80 characters (kit quoteCallerText)', async () => {
    const id = `W-${'9'.repeat(200)}`
    const body = expectProblem(await post(draft, EMAIL, { worker_id: id, job: FULL_JOB }), 404, 'DRAFT_WORKER_NOT_FOUND')
    expect(body.detail).toBe(`no worker with worker_id ${JSON.stringify(`${id.slice(0, 80)}…`)}`)
    expect(body.worker_id).toBe(id)
  })

  it('answers 422 rather than 200 when the worker record cannot make a valid email', async () => {
    const workers = createInMemoryWorkerSource([{ ...MARIA, email: 'not an address' }])
    const { draft: d } = setup({ workers })
    const body = expectProblem(await post(d, EMAIL, { worker_id: MARIA.worker_id, job: FULL_JOB }), 422, 'DRAFT_FAILED_VALIDATION')
    expect(reasons(body.errors)).toEqual(['$.to format'])
    expect(body.kind).toBe('email')
  })

  it('lists every problem of a malformed body', async () => {
    const r = await post(draft, EMAIL, {
      worker_id: 7,
      job: { title: '', site: 'x'.repeat(201), pay_rate: true, start: '2025-03-03', extra: 1 },
      model: '',
      note: 'hi',
    })
    const body = expectProblem(r, 400, 'HTTP_INVALID_REQUEST')
    expect(reasons(body.errors)).toEqual([
      '$.note additional_property',
      '$.worker_id type',
      '$.job.extra additional_property',
      '$.job.title empty',
      '$.job.title pattern',
      '$.job.site too_long',
      '$.job.pay_rate type',
      '$.model empty',
      '$.model pattern',
    ])
  })

  it.each([
    [{ job: FULL_JOB }, ['$.worker_id required']],
    [{ worker_id: 'W-1' }, ['$.job required']],
    [{ worker_id: 'W-1', job: [] }, ['$.job type']],
    [{ worker_id: 'W-1', job: { site: 's' } }, ['$.job.title required', '$.job.start required']],
    [{ worker_id: 'W-1', job: { ...FULL_JOB, pay_rate: -1 } }, ['$.job.pay_rate too_small']],
    [{ worker_id: 'W-1', job: { ...FULL_JOB, pay_rate: 1_000_001 } }, ['$.job.pay_rate too_large']],
    [{ worker_id: 'W-1', job: { ...FULL_JOB, pay_rate: 'x'.repeat(101) } }, ['$.job.pay_rate too_long']],
    [{ worker_id: ' ', job: { ...FULL_JOB, start: '\t' } }, ['$.worker_id pattern', '$.job.start pattern']],
    [{ worker_id: 'W-1', job: { ...FULL_JOB, city: 5 } }, ['$.job.city type']],
    [{ worker_id: 'W-1', job: FULL_JOB, workerId: 'W-1' }, ['$.workerId additional_property']],
  ])('refuses %j', async (request, expected) => {
    const body = expectProblem(await post(draft, EMAIL, request), 400, 'HTTP_INVALID_REQUEST')
    expect(reasons(body.errors)).toEqual(expected)
  })

  it('answers 400 DRAFT_UNKNOWN_MODEL before looking the worker up', async () => {
    for (const model of ['local/echo', 'openai/gpt-4o', 'nope']) {
      expectProblem(await post(draft, EMAIL, { worker_id: 'W-unknown', job: FULL_JOB, model }), 400, 'DRAFT_UNKNOWN_MODEL')
    }
  })

  it('answers 415, 405 and 404 like every JSON endpoint', async () => {
    const plain = new Request(TEST_ORIGIN + EMAIL, { method: 'POST', body: '{}' })
    expectProblem(await send(draft, plain), 415, 'HTTP_UNSUPPORTED_MEDIA_TYPE')
    const get = await send(draft, jsonRequest('GET', EMAIL))
    expectProblem(get, 405, 'HTTP_METHOD_NOT_ALLOWED')
    expect(get.headers.get('allow')).toBe('POST')
    expectProblem(await post(draft, `${DRAFT_MOUNT}/fax`, {}), 404, 'HTTP_NOT_FOUND')
    expectProblem(await post(draft, DRAFT_MOUNT, {}), 404, 'HTTP_NOT_FOUND')
  })
})

describe('POST /v1/draft/email with a provider model', () => {
  const body =
    'Hi Maria,\n\nAcme Logistics needs a forklift operator from March 3. Your 7 years fit well.\n\nReply to this email if interested.\n\nDana Reyes'

  it('asks the provider for the body, composes the subject itself and validates', async () => {
    const ollama = fakeProvider('ollama', () => ({ content: `Subject: Job!\n\n${body}\n` }))
    const { draft } = setup({ providers: { ollama }, config: { providerTemperature: 0.1, emailMaxTokens: 300 } })
    const r = await post(draft, EMAIL, { worker_id: MARIA.worker_id, job: FULL_JOB, model: 'ollama/llama3' })
    expect(r.status, r.text).toBe(200)
    expect(r.body.model).toBe('ollama/llama3')
    expect(r.body.draft).toEqual({ to: MARIA.email, subject: 'Forklift operator at Acme Logistics DC-4, starting Mon Mar 3', body })
    const [call] = ollama.calls
    expect(call?.model).toBe('llama3')
    expect(call?.options).toEqual({ temperature: 0.1, maxTokens: 300 })
    expect(call?.messages[0]).toEqual({ role: 'system', content: DRAFT_SYSTEM_PROMPT })
    const prompt = call?.messages[1]?.content ?? ''
    for (const fact of [
      '- First name: Maria',
      '- Years of experience: 7',
      '- Start: Monday, March 3, 2025',
      '- Pay: $19.50/hr',
      'or call Dana Reyes at 214-555-0100',
    ]) {
      expect(prompt).toContain(fact)
    }
    // The worker's own contact details are not the model's business.
    expect(prompt).not.toContain(MARIA.email)
    expect(prompt).not.toContain('555-0142')
  })

  it('answers 422 DRAFT_FAILED_VALIDATION and withholds a body holding an SSN', async () => {
    const openai = fakeProvider('openai', () => ({ content: 'Hi Maria, please confirm your SSN 123-45-6789 to start.' }))
    const { draft } = setup({ providers: { openai } })
    const r = await post(draft, EMAIL, { worker_id: MARIA.worker_id, job: FULL_JOB, model: 'openai/gpt-4o-mini' })
    const problem = expectProblem(r, 422, 'DRAFT_FAILED_VALIDATION')
    expect(reasons(problem.errors)).toEqual(['$.body ssn_pattern'])
    expect(problem.errors[0].kind).toBe('policy')
    expect(problem).toMatchObject({ kind: 'email', model: 'openai/gpt-4o-mini', worker_id: MARIA.worker_id, warnings: [] })
    expect(r.text).not.toContain('123-45-6789')
    expect(r.text).not.toContain('please confirm')
  })

  it('answers 422 for an unfilled placeholder or an empty body', async () => {
    for (const [content, reason] of [
      ['Hi {{first_name}}, we have a job for you.', '$.body unfilled_placeholder'],
      ['   \n ', '$.body empty'],
    ]) {
      const ollama = fakeProvider('ollama', () => ({ content: content ?? '' }))
      const { draft } = setup({ providers: { ollama } })
      const problem = expectProblem(
        await post(draft, EMAIL, { worker_id: MARIA.worker_id, job: FULL_JOB, model: 'ollama/m' }),
        422,
        'DRAFT_FAILED_VALIDATION',
      )
      expect(reasons(problem.errors)).toEqual([reason])
    }
  })

  it('passes provider problems through', async () => {
    const ollama = fakeProvider('ollama', () => {
      throw providersErrors.problem('PROVIDER_TIMEOUT', { detail: 'ollama did not answer' })
    })
    const { draft } = setup({ providers: { ollama } })
    expectProblem(await post(draft, EMAIL, { worker_id: MARIA.worker_id, job: FULL_JOB, model: 'ollama/m' }), 504, 'PROVIDER_TIMEOUT')
  })

  it('throws the same problems from the draftEmail() method', async () => {
    const ollama = fakeProvider('ollama', () => ({ content: 'SSN 123 45 6789' }))
    const { draft } = setup({ providers: { ollama } })
    await expect(draft.draftEmail({ worker_id: MARIA.worker_id, job: FULL_JOB, model: 'ollama/m' })).rejects.toMatchObject({
      code: 'DRAFT_FAILED_VALIDATION',
      status: 422,
    })
    await expect(draft.draftEmail({ worker_id: 'nobody', job: FULL_JOB })).rejects.toMatchObject({ code: 'DRAFT_WORKER_NOT_FOUND' })
  })
})
