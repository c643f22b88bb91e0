import { describe, expect, it } from 'vitest'
import { jsonWithoutNonFinite } from '../src/statement-guard.ts'

describe('issue 12 (fuzz): DOUBLE literals out of range reach the guard as bare Infinity/NaN', () => {
  it('turns bare non-finite tokens into null and leaves strings alone', () => {
    const text = '{"a":Infinity,"b":-Infinity,"c":[NaN,1],"d":"Infinity and NaN","e":"\\"NaN\\""}'
    expect(JSON.parse(jsonWithoutNonFinite(text))).toEqual({ a: null, b: null, c: [null, 1], d: 'Infinity and NaN', e: '"NaN"' })
  })

  it('returns text without such tokens unchanged', () => {
    const text = '{"statements":[{"node":{"type":"SELECT_NODE"}}]}'
    expect(jsonWithoutNonFinite(text)).toBe(text)
  })
})
