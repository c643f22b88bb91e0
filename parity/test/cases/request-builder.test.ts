import { describe, expect, it } from 'vitest'
import { buildRequest } from '../../src/cases/request-builder.ts'
import type { CaseStep } from '../../src/model.ts'

const step = (extra: Partial<CaseStep> = {}): CaseStep => ({ name: 's', method: 'GET', path: '/v1/x', ...extra }) as CaseStep
const TARGET = { authorization: 'Bearer target-token-0123456789' }

describe('buildRequest target headers (issue 11: the bearer token of a target)', () => {
  it('adds the target headers to every request', () => {
    expect(buildRequest(step(), new Map(), 'seed', undefined, TARGET).headers).toEqual(TARGET)
  })

  it("lets a step's own header win, and a header written empty sends none", () => {
    const own = buildRequest(step({ headers: { Authorization: 'Bearer other' } }), new Map(), 'seed', undefined, TARGET)
    expect(own.headers.authorization).toBe('Bearer other')
    const none = buildRequest(step({ headers: { authorization: '' } }), new Map(), 'seed', undefined, TARGET)
    expect('authorization' in none.headers).toBe(false)
  })

  it('still drops an empty content-type and keeps the body type otherwise', () => {
    const json = step({ method: 'POST', body: { json: { a: 1 } } })
    expect(buildRequest(json, new Map(), 'seed').headers['content-type']).toBe('application/json')
    const bare = buildRequest({ ...json, headers: { 'content-type': '' } }, new Map(), 'seed')
    expect('content-type' in bare.headers).toBe(false)
  })
})
