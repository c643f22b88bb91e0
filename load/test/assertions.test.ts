import { describe, expect, it } from 'vitest'
import { judgeStep } from '../src/flow/assertions.ts'
import type { LoadStep } from '../src/model.ts'

const step = (expect: LoadStep['expect'], extra: Partial<LoadStep> = {}): LoadStep => ({
  name: 's',
  method: 'GET',
  path: '/',
  expect,
  ...extra,
})
const res = (body: unknown, status = 200, headers: Record<string, string> = {}) => ({ status, headers, body: JSON.stringify(body) })
const vars = new Map<string, unknown>([
  ['first', ['a', 'b']],
  ['answer', { results: [1] }],
])

describe('judgeStep', () => {
  it('defaults to any 2xx and honours expect_status and expect.status lists', () => {
    expect(judgeStep(step({}), res({}, 204), vars).ok).toBe(true)
    expect(judgeStep(step({}), res({}, 500), vars)).toMatchObject({ ok: false, cause: 'status' })
    expect(judgeStep(step({}, { expectStatus: 201 }), res({}, 200), vars)).toMatchObject({ ok: false, cause: 'status' })
    expect(judgeStep(step({ status: [200, 404] }), res({}, 404), vars).ok).toBe(true)
  })

  it('checks headers exactly (x-cache: hit)', () => {
    expect(judgeStep(step({ headers: { 'x-cache': 'hit' } }), res({}, 200, { 'x-cache': 'hit' }), vars).ok).toBe(true)
    expect(judgeStep(step({ headers: { 'x-cache': 'hit' } }), res({}, 200, { 'x-cache': 'miss' }), vars)).toMatchObject({
      ok: false,
      cause: 'assertion',
    })
  })

  it('fails a wrong body: not_empty, equals, disjoint, contains, gt, matches', () => {
    const body = {
      results: [
        { id: 'a', n: 2 },
        { id: 'c', n: 0 },
      ],
      name: 'forklift',
    }
    const judge = (a: NonNullable<LoadStep['expect']['body']>[number]) => judgeStep(step({ body: [a] }), res(body), vars).ok
    expect(judge({ path: '$.results', op: 'not_empty' })).toBe(true)
    expect(judge({ path: '$.missing', op: 'not_empty' })).toBe(false)
    expect(judge({ path: '$.results[*].id', op: 'disjoint', value: '{{first}}' })).toBe(false)
    expect(judge({ path: '$.results[*].id', op: 'disjoint', value: ['x', 'y'] })).toBe(true)
    expect(judge({ path: '$.results[*].id', op: 'contains', value: 'c' })).toBe(true)
    expect(judge({ path: "$.results[?(@.id=='a')].n", op: 'gt', value: 0 })).toBe(true)
    expect(judge({ path: "$.results[?(@.id=='c')].n", op: 'gt', value: 0 })).toBe(false)
    expect(judge({ path: '$.name', op: 'matches', value: '^fork' })).toBe(true)
    expect(judge({ path: '$', op: 'equals', value: '{{answer}}' })).toBe(false)
    expect(judgeStep(step({ body: [{ path: '$', op: 'equals', value: '{{answer}}' }] }), res({ results: [1] }), vars).ok).toBe(true)
  })

  it('fails a body that is not JSON when it must be read, and a capture that finds nothing', () => {
    expect(judgeStep(step({ body: [{ path: '$.a', op: 'exists' }] }), { status: 200, headers: {}, body: '<html>' }, vars)).toMatchObject({
      ok: false,
      cause: 'assertion',
    })
    const capturing = step({}, { capture: { id: { from: 'body', path: '$.results[0].id' } } })
    expect(judgeStep(capturing, res({ results: [] }), vars)).toMatchObject({ ok: false, cause: 'assertion' })
    const ok = judgeStep(capturing, res({ results: [{ id: 'W-1' }] }), vars)
    expect(ok.ok && ok.captured.get('id')).toBe('W-1')
  })

  it('lets a step assert on what it captured itself', () => {
    const s = step({ body: [{ path: '$.b', op: 'equals', value: '{{a}}' }] }, { capture: { a: { from: 'body', path: '$.a' } } })
    expect(judgeStep(s, res({ a: 1, b: 1 }), vars).ok).toBe(true)
    expect(judgeStep(s, res({ a: 1, b: 2 }), vars).ok).toBe(false)
  })
})
