import { describe, expect, it } from 'vitest'
import { mergeRules } from '../../src/diff/index.ts'
import { EMPTY_RULES } from '../../src/model.ts'

describe('mergeRules', () => {
  it('concatenates lists without duplicates and overlays maps, later parts winning', () => {
    const merged = mergeRules(
      EMPTY_RULES,
      {
        ignore: ['$.a', '$.b'],
        arrayKeys: { '$.items': 'id' },
        tolerance: { '$.x': 0.1 },
        headers: { ETag: 'present' },
        ranked: { '$.hits': { key: 'id', score: 'score', maxDisplacement: 2 }, '$.more': { key: 'id' } },
      },
      {
        ignore: ['$.b', '$.c'],
        unordered: ['$.tags'],
        arrayKeys: { '$.items': 'key' },
        tolerance: { '$.y': 1 },
        headers: { etag: 'ignore' },
        ranked: { '$.hits': { key: 'id', minOverlap: 0.5 } },
      },
    )
    expect(merged).toEqual({
      ignore: ['$.a', '$.b', '$.c'],
      arrayKeys: { '$.items': 'key' },
      unordered: ['$.tags'],
      tolerance: { '$.x': 0.1, '$.y': 1 },
      headers: { etag: 'ignore' },
      // A ranked rule is replaced whole, not member by member.
      ranked: { '$.hits': { key: 'id', minOverlap: 0.5 }, '$.more': { key: 'id' } },
    })
  })

  it('returns empty rules for no parts and never shares the inputs', () => {
    expect(mergeRules()).toEqual(EMPTY_RULES)
    const part = { ignore: ['$.a'] }
    const merged = mergeRules(part)
    expect(merged.ignore).not.toBe(part.ignore)
  })
})
