import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isProblem } from '@lakehouse/kit'
import { describe, expect, it } from 'vitest'
import { resolveVectorConfig, vectorDefaults, vectorErrors } from '../src/index.ts'
import { compileFilter, metadataIssues } from '../src/metadata-filter.ts'
import { createTopK } from '../src/top-k.ts'
import { createVectorSlab, PAGE_ROWS } from '../src/vector-slab.ts'

describe('resolveVectorConfig', () => {
  it('returns frozen defaults and applies overrides', () => {
    const c = resolveVectorConfig({ maxK: 10 })
    expect(c).toEqual({ ...vectorDefaults, maxK: 10 })
    expect(Object.isFrozen(c)).toBe(true)
  })

  it.each([{ maxK: 0 }, { threads: 0 }, { quantization: 'i8' as never }, { saveBackoff: 0 }, { connectivity: 1 }, { saveDelayMs: -1 }])(
    'throws CONFIG_INVALID for %j',
    (input) => {
      try {
        resolveVectorConfig(input)
        expect.unreachable()
      } catch (err) {
        expect(isProblem(err) && err.code).toBe('CONFIG_INVALID')
      }
    },
  )
})

describe('vectorErrors', () => {
  it('documents every code in docs/vector.md', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'vector.md'), 'utf8')
    for (const code of Object.keys(vectorErrors.specs)) expect(doc, code).toContain(`\`${code}\``)
  })

  it('uses the VECTOR_ prefix and 4xx/5xx statuses', () => {
    for (const [code, spec] of Object.entries(vectorErrors.specs)) {
      expect(code).toMatch(/^VECTOR_[A-Z_]+$/)
      expect(spec.status).toBeGreaterThanOrEqual(400)
    }
  })
})

describe('filters', () => {
  const item = { city: 'Austin', certs: ['OSHA-30', 'Forklift'], rank: 3, active: true, none: null }
  const matches = (filter: Record<string, unknown>) => compileFilter(filter as never)?.(item) ?? true

  it.each([
    [{}, true],
    [{ city: 'austin' }, true],
    [{ city: 'AUSTIN', rank: 3 }, true],
    [{ city: 'Boston' }, false],
    [{ certs: 'osha-30' }, true],
    [{ certs: 'welding' }, false],
    [{ certs: ['forklift', 'osha-30'] }, true],
    [{ certs: ['forklift', 'welding'] }, false],
    [{ rank: 3 }, true],
    [{ rank: '3' }, false],
    [{ active: true }, true],
    [{ active: 'true' }, false],
    [{ none: null }, true],
    [{ missing: null }, true],
    [{ missing: 'x' }, false],
    [{ city: { in: ['Boston', 'austin'] } }, true],
    [{ city: { in: [] } }, false],
    [{ certs: { in: ['welding', 'FORKLIFT'] } }, true],
    [{ rank: { in: [1, 2] } }, false],
  ])('%j matches: %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected)
  })

  it('reports bad snapshot metadata by field', () => {
    expect(metadataIssues({ a: 1, b: Number.NaN, c: [1], d: { x: 1 }, e: ['x'] }, '$.m').map((i) => i.field)).toEqual([
      '$.m.b',
      '$.m.c',
      '$.m.d',
    ])
    expect(metadataIssues([], '$.m').map((i) => i.field)).toEqual(['$.m'])
  })
})

describe('createTopK', () => {
  it('keeps the k best by score desc then id asc', () => {
    const top = createTopK<{ id: string; score: number }>(3)
    for (const [id, score] of [
      ['d', 1],
      ['a', 2],
      ['c', 2],
      ['b', 2],
      ['e', 5],
      ['f', -1],
    ] as const)
      top.offer({ id, score })
    expect(top.sorted()).toEqual([
      { id: 'e', score: 5 },
      { id: 'a', score: 2 },
      { id: 'b', score: 2 },
    ])
    const none = createTopK(0)
    none.offer({ id: 'x', score: 1 })
    expect(none.sorted()).toEqual([])
  })
})

describe('createVectorSlab', () => {
  it('reuses freed rows, except while pinned', () => {
    const slab = createVectorSlab(2)
    const a = slab.put(Float32Array.of(1, 2))
    const b = slab.put(Float32Array.of(3, 4))
    slab.free(a)
    expect(slab.put(Float32Array.of(5, 6))).toBe(a)
    const release = slab.pin()
    slab.free(b)
    expect(slab.put(Float32Array.of(7, 8))).toBe(2)
    release()
    expect(slab.put(Float32Array.of(9, 9))).toBe(b)
    expect(Array.from(slab.page(b).subarray(slab.offset(b), slab.offset(b) + 2))).toEqual([9, 9])
  })

  it('spans pages and exposes exactly the allocated rows as bytes', () => {
    const slab = createVectorSlab(3)
    for (let i = 0; i < PAGE_ROWS + 5; i++) slab.put(Float32Array.of(i, i, i))
    const chunks = slab.chunks()
    expect(chunks.map((c) => c.byteLength)).toEqual([PAGE_ROWS * 12, 5 * 12])
    const restored = createVectorSlab(3)
    restored.restore(PAGE_ROWS + 5, new Set([0, PAGE_ROWS + 4]))
    restored.chunks().forEach((c, i) => {
      c.set(chunks[i] as Uint8Array)
    })
    const last = PAGE_ROWS + 4
    expect(restored.page(last)[restored.offset(last)]).toBe(last)
    expect(restored.put(Float32Array.of(0, 0, 0))).toBe(1)
  })
})
