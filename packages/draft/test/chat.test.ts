import { jsonRequest, TEST_ORIGIN } from '@lakehouse/kit/testing'
import { providersErrors } from '@lakehouse/providers'
import { measureSms } from '@lakehouse/validator'
import { describe, expect, it } from 'vitest'
import { DRAFT_MOUNT_CHAT, TEMPLATE_HELP } from '../src/index.ts'
import { expectProblem, fakeProvider, post, send, setup } from './helpers.ts'

const user = (content: string) => [{ role: 'user', content }]

describe('POST /v1/chat with built-in models', () => {
  const { draft, validator } = setup()

  it('drafts an outreach email from the last user message with local/template', async () => {
    const r = await post(draft, DRAFT_MOUNT_CHAT, {
      model: 'local/template',
      messages: [
        { role: 'system', content: 'You are a recruiter.' },
        { role: 'user', content: 'What can you do?' },
        { role: 'assistant', content: TEMPLATE_HELP },
        {
          role: 'user',
          content: 'Draft an email to Maria about a forklift operator shift at Acme Logistics in Dallas starting 2025-03-03, $19/hr.',
        },
      ],
    })
    expect(r.status, r.text).toBe(200)
    expect(Object.keys(r.body)).toEqual(['model', 'message'])
    expect(r.body.model).toBe('local/template')
    expect(r.body.message.role).toBe('assistant')
    const content: string = r.body.message.content
    expect(content.startsWith('Subject: Forklift operator at Acme Logistics, starting Mon Mar 3\n\nHi Maria,\n\n')).toBe(true)
    expect(content).toContain('- Start: Monday, March 3, 2025')
    expect(content).toContain('- Pay: $19/hr')
    const [subjectLine = '', ...rest] = content.split('\n\n')
    const check = await validator.validate('email', { to: 'maria@example.com', subject: subjectLine.slice(9), body: rest.join('\n\n') })
    expect(check.errors).toEqual([])
  })

  it('writes a GSM-7 SMS of at most 160 characters when the prompt asks for a text', async () => {
    const r = await post(draft, DRAFT_MOUNT_CHAT, {
      model: 'local/template',
      messages: user('Write a text to Jamal about a night shift welder job at Gulf Fabrication in Houston starting Monday'),
    })
    expect(r.status).toBe(200)
    expect(r.body.message.content).toBe(
      'Hi Jamal, welder at Gulf Fabrication, Houston, starts Monday, night shift. Reply YES if interested.',
    )
    const m = measureSms(r.body.message.content)
    expect([m.encoding, m.length <= 160]).toEqual(['GSM-7', true])
  })

  it('reads `key: value` lines before the running text', async () => {
    const prompt =
      'Please write the outreach for this one (channel: sms).\ntitle: CNC machinist\nsite: Precision Parts Co\ncity: Phoenix\nstart: 2025-04-07\npay: $27/hr\nchannel: sms\nname: Wei'
    const r = await post(draft, DRAFT_MOUNT_CHAT, { model: 'local/template', messages: user(prompt) })
    expect(r.body.message.content).toBe(
      'Hi Wei, CNC machinist at Precision Parts Co, Phoenix, starts Mon Apr 7, $27/hr. Reply YES if interested.',
    )
  })

  it('answers any other prompt, or none, with the help text', async () => {
    for (const messages of [user('What is the weather today?'), [{ role: 'system', content: 'Draft an email to Maria.' }]]) {
      const r = await post(draft, DRAFT_MOUNT_CHAT, { model: 'local/template', messages })
      expect(r.body.message.content).toBe(TEMPLATE_HELP)
    }
  })

  it('echoes the last user message with local/echo and ignores temperature and max_tokens', async () => {
    const r = await post(draft, DRAFT_MOUNT_CHAT, {
      model: 'local/echo',
      messages: [...user('first'), { role: 'assistant', content: 'x' }, ...user('second  \n line')],
      temperature: 1.5,
      max_tokens: 3,
    })
    expect(r.body).toEqual({ model: 'local/echo', message: { role: 'assistant', content: 'second  \n line' } })
    const none = await post(draft, DRAFT_MOUNT_CHAT, { model: 'local/echo', messages: [{ role: 'system', content: 's' }] })
    expect(none.body.message.content).toBe('')
  })
})

describe('POST /v1/chat routed to providers', () => {
  it('strips the prefix, maps options and passes usage through', async () => {
    const ollama = fakeProvider('ollama', (model) => ({
      content: `hello from ${model}`,
      usage: { prompt_tokens: 12, completion_tokens: 4 },
    }))
    const openai = fakeProvider('openai', (model) => ({ content: `openai ${model}` }))
    const { draft } = setup({ providers: { ollama, openai } })
    const r = await post(draft, DRAFT_MOUNT_CHAT, { model: 'ollama/llama3.1:8b', messages: user('hi'), temperature: 0.3, max_tokens: 50 })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({
      model: 'ollama/llama3.1:8b',
      message: { role: 'assistant', content: 'hello from llama3.1:8b' },
      usage: { prompt_tokens: 12, completion_tokens: 4 },
    })
    expect(ollama.calls).toEqual([
      { model: 'llama3.1:8b', messages: [{ role: 'user', content: 'hi' }], options: { temperature: 0.3, maxTokens: 50 } },
    ])

    const o = await post(draft, DRAFT_MOUNT_CHAT, { model: 'openai/meta-llama/Llama-3-8B', messages: user('hi') })
    expect(o.body).toEqual({
      model: 'openai/meta-llama/Llama-3-8B',
      message: { role: 'assistant', content: 'openai meta-llama/Llama-3-8B' },
    })
    expect(openai.calls[0]?.model).toBe('meta-llama/Llama-3-8B')
    expect(openai.calls[0]?.options).toEqual({})
  })

  it('passes provider problems through with their code, status and headers', async () => {
    const ollama = fakeProvider('ollama', () => {
      throw providersErrors.problem('PROVIDER_UNAVAILABLE', { detail: 'ollama kept answering 503', headers: { 'retry-after': '5' } })
    })
    const { draft } = setup({ providers: { ollama } })
    const r = await post(draft, DRAFT_MOUNT_CHAT, { model: 'ollama/llama3', messages: user('hi') })
    expectProblem(r, 503, 'PROVIDER_UNAVAILABLE')
    expect(r.headers.get('retry-after')).toBe('5')
  })

  it('turns an uncoded provider failure into INTERNAL without echoing it', async () => {
    const openai = fakeProvider('openai', () => Promise.reject(new Error('socket hang up at http://secret-host')))
    const { draft } = setup({ providers: { openai } })
    const r = await post(draft, DRAFT_MOUNT_CHAT, { model: 'openai/gpt-4o-mini', messages: user('hi') })
    expectProblem(r, 500, 'INTERNAL')
    expect(r.text).not.toContain('secret-host')
  })

  it.each([
    ['mystery/model', 'no known prefix'],
    ['gpt-4o', 'no known prefix'],
    ['openai/gpt-4o', 'not configured'],
    ['local/gpt', 'not a built-in model'],
    ['ollama/', 'names no model'],
  ])('answers 400 DRAFT_UNKNOWN_MODEL for %s', async (model, why) => {
    const { draft } = setup({ providers: { ollama: fakeProvider('ollama', () => ({ content: 'x' })) } })
    const body = expectProblem(await post(draft, DRAFT_MOUNT_CHAT, { model, messages: user('hi') }), 400, 'DRAFT_UNKNOWN_MODEL')
    expect(body.detail).toContain(why)
    expect(body.model).toBe(model)
    expect(body.detail).toContain('available: local/template, local/echo, ollama/<model>')
  })
})

describe('POST /v1/chat request checks', () => {
  const { draft } = setup({ config: { maxBodyBytes: 1024, maxMessages: 3 } })

  it('lists every problem of a malformed body as HTTP_INVALID_REQUEST, in the shared reason tokens', async () => {
    const r = await post(draft, DRAFT_MOUNT_CHAT, {
      messages: [{ role: 'robot', content: 1 }, 'hi', { role: 'user', content: 'x', name: 'n' }],
      temperature: 3,
      max_tokens: 0.5,
      stream: true,
    })
    const body = expectProblem(r, 400, 'HTTP_INVALID_REQUEST')
    expect(body.errors.map((e: { field: string; reason: string }) => `${e.field} ${e.reason}`)).toEqual([
      '$.model required',
      '$.stream additional_property',
      '$.messages[0].role enum',
      '$.messages[0].content type',
      '$.messages[1] type',
      '$.messages[2].name additional_property',
      '$.temperature too_large',
      '$.max_tokens type',
      '$.max_tokens too_small',
    ])
    expect(body.detail).toBe('9 problems in the request body; first: $.model is required')
  })

  it.each([
    [[], '$.messages empty'],
    [{}, '$.messages type'],
    [Array.from({ length: 4 }, () => ({ role: 'user', content: 'x' })), '$.messages too_long'],
  ])('refuses messages %j', async (messages, expected) => {
    const body = expectProblem(await post(draft, DRAFT_MOUNT_CHAT, { model: 'local/echo', messages }), 400, 'HTTP_INVALID_REQUEST')
    expect(body.errors.map((e: { field: string; reason: string }) => `${e.field} ${e.reason}`)).toEqual([expected])
  })

  it('refuses a body that is not an object', async () => {
    const body = expectProblem(await post(draft, DRAFT_MOUNT_CHAT, [1, 2]), 400, 'HTTP_INVALID_REQUEST')
    expect(body.errors).toEqual([{ kind: 'schema', field: '$', reason: 'type', message: '$ must be object' }])
  })

  it.each([
    ['a missing messages', { model: 'local/echo' }, ['$.messages required']],
    ['an empty model', { model: '', messages: user('x') }, ['$.model empty', '$.model pattern']],
    ['a blank model', { model: '  ', messages: user('x') }, ['$.model pattern']],
    ['a model that is not a string', { model: 7, messages: user('x') }, ['$.model type']],
    ['max_tokens over maxTokensLimit', { model: 'local/echo', messages: user('x'), max_tokens: 32_769 }, ['$.max_tokens too_large']],
    ['the OpenAI spelling maxTokens', { model: 'local/echo', messages: user('x'), maxTokens: 5 }, ['$.maxTokens additional_property']],
    ['a message without content', { model: 'local/echo', messages: [{ role: 'user' }] }, ['$.messages[0].content required']],
  ])('refuses %s', async (_label, request, expected) => {
    const body = expectProblem(await post(draft, DRAFT_MOUNT_CHAT, request), 400, 'HTTP_INVALID_REQUEST')
    expect(body.errors.map((e: { field: string; reason: string }) => `${e.field} ${e.reason}`)).toEqual(expected)
  })

  it('answers 400 for malformed JSON, 415 without a JSON content type and 413 past the size limit', async () => {
    expectProblem(await post(draft, DRAFT_MOUNT_CHAT, '{"model":'), 400, 'HTTP_MALFORMED_JSON')
    const plain = new Request(TEST_ORIGIN + DRAFT_MOUNT_CHAT, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })
    expectProblem(await send(draft, plain), 415, 'HTTP_UNSUPPORTED_MEDIA_TYPE')
    const big = { model: 'local/echo', messages: user('x'.repeat(2000)) }
    expectProblem(await post(draft, DRAFT_MOUNT_CHAT, big), 413, 'HTTP_BODY_TOO_LARGE')
  })

  it('answers 405 with Allow for other methods and 404 for unknown paths', async () => {
    const r = await send(draft, jsonRequest('GET', DRAFT_MOUNT_CHAT))
    expectProblem(r, 405, 'HTTP_METHOD_NOT_ALLOWED')
    expect(r.headers.get('allow')).toBe('POST')
    expectProblem(await send(draft, jsonRequest('DELETE', DRAFT_MOUNT_CHAT)), 405, 'HTTP_METHOD_NOT_ALLOWED')
    expectProblem(await post(draft, `${DRAFT_MOUNT_CHAT}/completions`, {}), 404, 'HTTP_NOT_FOUND')
  })

  it('checks the request of the chat() method like a body', async () => {
    await expect(draft.chat({ model: 'local/echo', messages: [] })).rejects.toMatchObject({
      code: 'HTTP_INVALID_REQUEST',
      errors: [expect.objectContaining({ field: '$.messages', reason: 'empty' })],
    })
    await expect(draft.chat({ model: 'local/echo', messages: [{ role: 'user', content: 'ok' }] })).resolves.toEqual({
      model: 'local/echo',
      message: { role: 'assistant', content: 'ok' },
    })
  })
})
