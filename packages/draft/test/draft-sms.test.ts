import { jsonRequest } from '@lakehouse/kit/testing'
import { measureSms } from '@lakehouse/validator'
import { describe, expect, it } from 'vitest'
import { createInMemoryWorkerSource, DRAFT_MOUNT } from '../src/index.ts'
import { expectProblem, FULL_JOB, fakeProvider, LONG_JOB, MARIA, MINIMAL_JOB, post, send, setup, UNICODE_JOB } from './helpers.ts'

const SMS = `${DRAFT_MOUNT}/sms`

describe('POST /v1/draft/sms with the local drafter', () => {
  const { draft } = setup()

  it('returns a one-segment GSM-7 text to the worker phone', async () => {
    const r = await post(draft, SMS, { worker_id: MARIA.worker_id, job: FULL_JOB })
    expect(r.status, r.text).toBe(200)
    expect(r.body).toEqual({
      worker_id: 'W-000042',
      model: 'local/template',
      draft: {
        to: '(214) 555-0142',
        body: 'Hi Maria, forklift operator at Acme Logistics DC-4, Dallas, starts Mon Mar 3, 6am-2:30pm, $19.50/hr. Reply YES if interested or call 214-555-0100. -Dana Reyes',
      },
      validation: { valid: true, warnings: [] },
    })
  })

  it('keeps the fit line when there is room', async () => {
    const r = await post(draft, SMS, { worker_id: MARIA.worker_id, job: MINIMAL_JOB })
    expect(r.body.draft.body).toBe(
      'Hi Maria, warehouse associate at Northpoint Fulfillment, starts next Monday. Your RF scanning experience fits. Reply YES if interested.',
    )
  })

  it('shortens long jobs gracefully and stays within 160 septets', async () => {
    const r = await post(draft, SMS, { worker_id: MARIA.worker_id, job: LONG_JOB })
    expect(r.status).toBe(200)
    const text: string = r.body.draft.body
    expect(text).toBe(
      'Hi Maria, senior industrial maintenance and... at Consolidated Regional Distribution..., starts Mon Nov 17, $31.75/hr plus $2... Reply YES if interested.',
    )
    expect(measureSms(text).length).toBeLessThanOrEqual(160)
  })

  it('maps curly quotes, dashes and accents to GSM-7 and drops emoji', async () => {
    const r = await post(draft, SMS, { worker_id: MARIA.worker_id, job: UNICODE_JOB })
    expect(r.status).toBe(200)
    expect(r.body.validation.warnings).toEqual([])
    expect(r.body.draft.body).toBe(
      'Hi Maria, line cook - "brunch" crew at Café Ola Sao Joao, San José, starts Monday... maybe Tuesday, 7-3, €18/hr. Reply YES if interested or call 408-555-0123.',
    )
    expect(measureSms(r.body.draft.body).encoding).toBe('GSM-7')
  })

  it('answers 422 rather than 200 when the worker phone is not a phone number', async () => {
    const { draft: d } = setup({ workers: createInMemoryWorkerSource([{ ...MARIA, phone: 'ask at the desk' }]) })
    const body = expectProblem(await post(d, SMS, { worker_id: MARIA.worker_id, job: FULL_JOB }), 422, 'DRAFT_FAILED_VALIDATION')
    expect(body.errors.map((e: { field: string; reason: string }) => `${e.field} ${e.reason}`)).toEqual(['$.to format'])
  })

  it('answers 404, 400, 405 like the email route', async () => {
    expectProblem(await post(draft, SMS, { worker_id: 'W-0', job: FULL_JOB }), 404, 'DRAFT_WORKER_NOT_FOUND')
    expectProblem(await post(draft, SMS, { worker_id: 'W-0' }), 400, 'HTTP_INVALID_REQUEST')
    expectProblem(await send(draft, jsonRequest('PUT', SMS, {})), 405, 'HTTP_METHOD_NOT_ALLOWED')
  })
})

describe('POST /v1/draft/sms with a provider model', () => {
  it('normalises typographic punctuation and validates the answer', async () => {
    const ollama = fakeProvider('ollama', () => ({
      content: '  Hi Maria \u2014 forklift shift at Acme, Mon Mar 3. It\u2019s $19.50/hr.\nReply YES!  ',
    }))
    const { draft } = setup({ providers: { ollama }, config: { smsMaxTokens: 64 } })
    const r = await post(draft, SMS, { worker_id: MARIA.worker_id, job: FULL_JOB, model: 'ollama/phi3' })
    expect(r.status, r.text).toBe(200)
    expect(r.body.draft).toEqual({ to: MARIA.phone, body: "Hi Maria - forklift shift at Acme, Mon Mar 3. It's $19.50/hr. Reply YES!" })
    expect(ollama.calls[0]?.options).toEqual({ temperature: 0.2, maxTokens: 64 })
    expect(ollama.calls[0]?.messages[1]?.content).toContain('at most 150 characters')
  })

  it('answers 422 for an answer that is too long, and for one holding an SSN', async () => {
    const cases: [string, string[]][] = [
      ['x'.repeat(161), ['$.body too_long']],
      ['Hi Maria, your SSN 123456789 is on file. Reply YES.', ['$.body ssn_pattern']],
    ]
    for (const [content, expected] of cases) {
      const openai = fakeProvider('openai', () => ({ content }))
      const { draft } = setup({ providers: { openai } })
      const body = expectProblem(
        await post(draft, SMS, { worker_id: MARIA.worker_id, job: FULL_JOB, model: 'openai/m' }),
        422,
        'DRAFT_FAILED_VALIDATION',
      )
      expect(body.errors.map((e: { field: string; reason: string }) => `${e.field} ${e.reason}`)).toEqual(expected)
      expect(body.kind).toBe('sms')
    }
  })
})
