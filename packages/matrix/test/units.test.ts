import { compileBodySchema } from '@lakehouse/kit'
import { acceptsBody } from '@lakehouse/kit/testing'
import type { Hit } from '@lakehouse/vector'
import { describe, expect, it } from 'vitest'
import { accumulateBoosts, type PlaybookEvidence, resultKey } from '../src/boost.ts'
import { searchCacheKey } from '../src/cache-key.ts'
import { toVectorFilter } from '../src/filters.ts'
import { matrixDefaults, matrixErrors, normaliseQuery, resolveMatrixConfig } from '../src/index.ts'
import { bodyChecksFor } from '../src/input-check.ts'
import { rankResults } from '../src/merge.ts'
import { parseRecordBody } from '../src/record-request.ts'
import { createResultCache } from '../src/result-cache.ts'
import { parseSearchRequest } from '../src/search-request.ts'

const hit = (id: string, score: number, metadata = {}): Hit => ({ id, score, metadata })

describe('resolveMatrixConfig', () => {
  it('returns frozen defaults', () => {
    const c = resolveMatrixConfig()
    expect(c).toEqual(matrixDefaults)
    expect(Object.isFrozen(c)).toBe(true)
    expect(Object.isFrozen(c.defaultCorpora)).toBe(true)
  })

  it.each([
    ['maxK', { maxK: 0 }],
    ['defaultK above maxK', { defaultK: 50, maxK: 20 }],
    ['empty defaultCorpora', { defaultCorpora: [] }],
    ['defaultCorpora naming the playbook index', { defaultCorpora: ['workers', 'playbooks'] }],
    ['negative weight', { playbookWeight: -1 }],
    ['NaN similarity', { playbookSimilarity: Number.NaN }],
    ['empty playbook index', { playbookIndex: '' }],
  ])('throws CONFIG_INVALID for %s', (_label, input) => {
    expect(() => resolveMatrixConfig(input)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
  })
})

describe('matrixErrors', () => {
  it('pins the codes and statuses', () => {
    expect(Object.fromEntries(Object.entries(matrixErrors.specs).map(([code, spec]) => [code, spec.status]))).toEqual({
      MATRIX_CORPUS_NOT_FOUND: 404,
      MATRIX_CORPUS_INCOMPATIBLE: 409,
      MATRIX_PLAYBOOK_INDEX_INVALID: 500,
      MATRIX_UNAVAILABLE: 503,
    })
  })
})

describe('normaliseQuery', () => {
  it('trims, collapses whitespace, lower-cases and composes', () => {
    expect(normaliseQuery('  Forklift\t\nDRIVER   osha-30 ')).toBe('forklift driver osha-30')
    expect(normaliseQuery('Cafe\u0301')).toBe('caf\u00e9')
  })
})

describe('toVectorFilter', () => {
  it('maps certification onto the certifications array and skips absent filters', () => {
    expect(toVectorFilter({})).toBeUndefined()
    expect(toVectorFilter({ role: 'Welder', certification: 'OSHA-30' })).toEqual({ role: 'Welder', certifications: 'OSHA-30' })
    expect(toVectorFilter({ city: 'Chicago', state: 'IL' })).toEqual({ city: 'Chicago', state: 'IL' })
  })
})

describe('rankResults', () => {
  it('merges by score, breaks ties by corpus then id, and cuts to k', () => {
    const results = rankResults(
      [
        { corpus: 'b', hits: [hit('x', 0.9), hit('a', 0.5)] },
        { corpus: 'a', hits: [hit('y', 0.5), hit('z', 0.7)] },
      ],
      { k: 3, minScore: -1, exclude: new Set() },
    )
    expect(results.map((r) => `${r.corpus}/${r.id}@${r.score}`)).toEqual(['b/x@0.9', 'a/z@0.7', 'a/y@0.5'])
  })

  it('drops excluded ids even when the index returned them, and scores under the floor', () => {
    const results = rankResults([{ corpus: 'w', hits: [hit('a', 0.9), hit('b', 0.8), hit('c', 0.1)] }], {
      k: 10,
      minScore: 0.2,
      exclude: new Set(['a']),
    })
    expect(results.map((r) => r.id)).toEqual(['b'])
  })

  it('adds boosts, re-ranks and marks boosted results', () => {
    const mark = { boost: 0.25, matched: [{ query: 'q', similarity: 1, outcome: 'success' as const }] }
    const results = rankResults([{ corpus: 'w', hits: [hit('a', 0.5), hit('b', 0.4)] }], {
      k: 2,
      minScore: 0,
      exclude: new Set(),
      boosts: new Map([[resultKey('w', 'b'), mark]]),
    })
    expect(results).toEqual([
      { id: 'b', corpus: 'w', score: 0.65, metadata: {}, playbook: mark },
      { id: 'a', corpus: 'w', score: 0.5, metadata: {} },
    ])
  })

  it('copies metadata instead of aliasing the index object', () => {
    const metadata = { certifications: ['OSHA-10'] }
    const [r] = rankResults([{ corpus: 'w', hits: [hit('a', 0.5, metadata)] }], { k: 1, minScore: 0, exclude: new Set() })
    expect(r?.metadata).toEqual(metadata)
    expect(r?.metadata).not.toBe(metadata)
    expect(Object.isFrozen(metadata)).toBe(false)
  })
})

describe('accumulateBoosts', () => {
  const weights = { minSimilarity: 0.5, weight: 0.1, failureWeight: 0.05, maxBoost: 0.25 }
  const ev = (query: string, similarity: number, outcome: 'success' | 'failure', workerIds: string[], count = 1): PlaybookEvidence => ({
    query,
    similarity,
    corpus: 'workers',
    workers: new Map(workerIds.map((id) => [id, outcome === 'success' ? { success: count, failure: 0 } : { success: 0, failure: count }])),
  })

  it('sums similarity × weight over successes and subtracts failures', () => {
    const marks = accumulateBoosts([ev('a', 0.9, 'success', ['W-1', 'W-2']), ev('b', 0.8, 'failure', ['W-2'])], weights)
    expect(marks.get(resultKey('workers', 'W-1'))?.boost).toBe(0.09)
    expect(marks.get(resultKey('workers', 'W-2'))?.boost).toBe(0.05)
  })

  it('ignores records below the similarity threshold', () => {
    expect(accumulateBoosts([ev('a', 0.49, 'success', ['W-1'])], weights).size).toBe(0)
  })

  it('caps the boost at ±maxBoost and lists at most three distinct matches, most similar first', () => {
    const evidence = [0.6, 0.7, 0.8, 0.9, 0.95].flatMap((s) => [ev(`q${s}`, s, 'success', ['W-1']), ev(`q${s}`, s, 'success', ['W-1'])])
    const mark = accumulateBoosts(evidence, weights).get(resultKey('workers', 'W-1'))
    expect(mark?.boost).toBe(0.25)
    expect(mark?.matched).toEqual([
      { query: 'q0.95', similarity: 0.95, outcome: 'success' },
      { query: 'q0.9', similarity: 0.9, outcome: 'success' },
      { query: 'q0.8', similarity: 0.8, outcome: 'success' },
    ])
    const failures = accumulateBoosts(
      Array.from({ length: 20 }, (_, i) => ev(`f${i}`, 1, 'failure', ['W-9'])),
      weights,
    )
    expect(failures.get(resultKey('workers', 'W-9'))?.boost).toBe(-0.25)
  })

  it('does not depend on the order the evidence arrives in', () => {
    const evidence = [ev('a', 0.61, 'success', ['W-1']), ev('b', 0.73, 'failure', ['W-1']), ev('c', 0.97, 'success', ['W-1'])]
    const forward = accumulateBoosts(evidence, weights).get(resultKey('workers', 'W-1'))
    const backward = accumulateBoosts([...evidence].reverse(), weights).get(resultKey('workers', 'W-1'))
    expect(backward).toEqual(forward)
  })
})

describe('createResultCache', () => {
  const answer = (usedPlaybook = false) => ({ body: { query: 'q', results: [], count: 0 }, text: '{}', usedPlaybook })

  it('evicts the least recently used entry', () => {
    const cache = createResultCache(2, 1000, () => 0)
    cache.set('a', answer())
    cache.set('b', answer())
    cache.get('a')
    cache.set('c', answer())
    expect([cache.get('a'), cache.get('b'), cache.get('c')].map((x) => x !== undefined)).toEqual([true, false, true])
  })

  it('expires entries after the TTL', () => {
    let t = 0
    const cache = createResultCache(10, 1000, () => t)
    cache.set('a', answer())
    t = 999
    expect(cache.get('a')).toBeDefined()
    t = 1999
    expect(cache.get('a')).toBeUndefined()
    expect(cache.size).toBe(0)
  })

  it('drops only the answers that used playbooks', () => {
    const cache = createResultCache(10, 1000, () => 0)
    cache.set('plain', answer(false))
    cache.set('boosted', answer(true))
    cache.dropPlaybookAnswers()
    expect([cache.get('plain') !== undefined, cache.get('boosted') !== undefined]).toEqual([true, false])
  })

  it('stores nothing when capacity or TTL is 0', () => {
    for (const cache of [createResultCache(0, 1000, () => 0), createResultCache(10, 0, () => 0)]) {
      cache.set('a', answer())
      expect(cache.get('a')).toBeUndefined()
    }
  })
})

describe('the playbook record body', () => {
  const config = resolveMatrixConfig({ maxRecordItems: 2 })
  const whole = compileBodySchema(bodyChecksFor(config).record.schema)
  const ok = { query: 'q', worker_ids: ['W-1'], outcome: 'success' }

  it.each([
    ['one record', ok],
    ['a bulk record', { items: [ok, ok] }],
    ['a record with an unknown member', { ...ok, score: 1 }],
    ['a record beside items', { items: [ok], query: 'q' }],
    ['three items', { items: [ok, ok, ok] }],
    ['a bad item', { items: [ok, { query: 'q' }] }],
    ['an array', [ok]],
    ['null', null],
  ])('accepts exactly what the per-form check accepts: %s', (_label, body) => {
    expect(acceptsBody(() => parseRecordBody(body, config))).toBe(acceptsBody(() => whole(body)))
  })
})

describe('searchCacheKey', () => {
  const config = resolveMatrixConfig()
  const key = (body: unknown, sizes = [10, 20]) => searchCacheKey(parseSearchRequest(body, config), { sizes })

  it('is the same for requests that differ only in spelling, order and defaults', () => {
    const a = key({ query: 'Forklift  Driver', corpora: ['a', 'b'], exclude_ids: ['x', 'y'], filters: { role: 'r', city: 'c' } })
    const b = key({
      query: ' forklift driver',
      corpora: ['b', 'a', 'a'],
      exclude_ids: ['y', 'x', 'y'],
      filters: { city: 'c', role: 'r' },
      k: 10,
    })
    expect(a).toBe(b)
    expect(key({ query: 'q' }, [10])).toBe(key({ query: 'q', corpora: ['workers'], min_score: 0, use_playbook: false }, [10]))
  })

  it('changes with the corpus sizes, k, the floor and the filter values', () => {
    const base = key({ query: 'q', corpora: ['a', 'b'] })
    expect(key({ query: 'q', corpora: ['a', 'b'] }, [11, 20])).not.toBe(base)
    expect(key({ query: 'q', corpora: ['a', 'b'], k: 5 })).not.toBe(base)
    expect(key({ query: 'q', corpora: ['a', 'b'], min_score: 0.1 })).not.toBe(base)
    expect(key({ query: 'q', corpora: ['a', 'b'], filters: { role: 'Welder' } })).not.toBe(
      key({ query: 'q', corpora: ['a', 'b'], filters: { role: 'welder' } }),
    )
  })

  it('includes the playbook state for playbook searches', () => {
    const request = parseSearchRequest({ query: 'q', use_playbook: true }, config)
    const a = searchCacheKey(request, { sizes: [1], playbook: { size: 3, generation: 1 } })
    expect(searchCacheKey(request, { sizes: [1], playbook: { size: 3, generation: 2 } })).not.toBe(a)
    expect(searchCacheKey(request, { sizes: [1], playbook: { size: 4, generation: 1 } })).not.toBe(a)
  })
})
