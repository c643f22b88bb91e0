import { describe, expect, it } from 'vitest'
import { createLruCache } from '../src/index.ts'

describe('createLruCache', () => {
  it('evicts the least recently used entry and never holds more than its capacity', () => {
    const lru = createLruCache<string, number>(2)
    lru.set('a', 1)
    lru.set('b', 2)
    expect(lru.get('a')).toBe(1)
    lru.set('c', 3)
    expect([lru.get('a'), lru.get('b'), lru.get('c'), lru.size]).toEqual([1, undefined, 3, 2])
    lru.set('a', 10)
    expect([lru.get('a'), lru.size]).toEqual([10, 2])
    lru.clear()
    expect(lru.size).toBe(0)
  })

  it('refuses a capacity that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => createLruCache(bad)).toThrow(RangeError)
  })
})
