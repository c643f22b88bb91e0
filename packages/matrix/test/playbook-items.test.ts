import { seededRandom } from '@lakehouse/kit/testing'
import type { Metadata } from '@lakehouse/vector'
import { describe, expect, it } from 'vitest'
import { accumulateBoosts, type PlaybookEvidence } from '../src/boost.ts'
import { decodeAggregate, encodeAggregate, foldRecords, playbookItemId, toEvidence } from '../src/playbook-items.ts'
import type { RecordRequest } from '../src/record-request.ts'
import { type RecordEvidence, referenceBoosts } from './reference-boost.ts'

const weights = { minSimilarity: 0.5, weight: 0.1, failureWeight: 0.05, maxBoost: 0.25 }
const rec = (workerIds: string[], outcome: 'success' | 'failure', note?: string): RecordRequest => ({
  query: 'welder',
  corpus: 'workers',
  workerIds,
  outcome,
  note,
})

/** Records as the one-item-per-record store held them, folded the way the store folds them now. */
function aggregated(records: readonly RecordEvidence[]): PlaybookEvidence[] {
  const byQuery = new Map<string, { query: string; similarity: number; corpus: string; items: RecordRequest[] }>()
  for (const r of records) {
    const key = `${r.corpus}\u0000${r.query}`
    const group = byQuery.get(key) ?? { query: r.query, similarity: r.similarity, corpus: r.corpus, items: [] }
    group.items.push({ query: r.query, corpus: r.corpus, workerIds: r.workerIds, outcome: r.outcome, note: undefined })
    byQuery.set(key, group)
  }
  return [...byQuery.values()].map((g) => {
    const folded = foldRecords(undefined, g, g.items, '2026-01-01T00:00:00.000Z')
    return { query: g.query, similarity: g.similarity, corpus: g.corpus, workers: folded.workers }
  })
}

describe('playbook items', () => {
  it('derives one id per (corpus, query)', () => {
    expect(playbookItemId('workers', 'welder')).toMatch(/^pb-[0-9a-f]{32}$/)
    expect(playbookItemId('workers', 'welder')).toBe(playbookItemId('workers', 'welder'))
    expect(playbookItemId('workers', 'welder')).not.toBe(playbookItemId('other', 'welder'))
    expect(playbookItemId('workers', 'welder')).not.toBe(playbookItemId('workers', 'welder tig'))
  })

  it('folds records into per-worker counts, keeping the first recorded_at and the last note', () => {
    const key = { query: 'welder', corpus: 'workers' }
    const first = foldRecords(undefined, key, [rec(['W-2', 'W-1'], 'success', 'a'), rec(['W-1'], 'failure')], 't1')
    const second = foldRecords(first, key, [rec(['W-1'], 'success'), rec(['W-3'], 'success', 'b')], 't2')
    expect(second).toEqual({
      query: 'welder',
      corpus: 'workers',
      workers: new Map([
        ['W-2', { success: 1, failure: 0 }],
        ['W-1', { success: 2, failure: 1 }],
        ['W-3', { success: 1, failure: 0 }],
      ]),
      records: 4,
      firstRecordedAt: 't1',
      lastRecordedAt: 't2',
      note: 'b',
    })
    // `first` is not changed by folding more into it.
    expect(first.workers.get('W-1')).toEqual({ success: 1, failure: 1 })
    // A record whose clock reading is older than the item's latest (it waited for the lock) moves neither end back.
    expect(foldRecords(second, key, [rec(['W-1'], 'success')], 't0')).toMatchObject({ firstRecordedAt: 't0', lastRecordedAt: 't2' })
    expect(foldRecords(second, key, [rec(['W-1'], 'success')], 't15')).toMatchObject({ firstRecordedAt: 't1', lastRecordedAt: 't2' })
    const metadata = encodeAggregate(second)
    expect(metadata.workers).toBe('{"W-1":{"success":2,"failure":1},"W-2":{"success":1,"failure":0},"W-3":{"success":1,"failure":0}}')
    expect(decodeAggregate(metadata)).toEqual({ ...second, workers: new Map([...second.workers].sort(([a], [b]) => (a < b ? -1 : 1))) })
  })

  it.each([
    ['no format', { format: undefined }],
    ['another format', { format: 3 }],
    ['workers that are not JSON', { workers: '{' }],
    ['workers that are an array', { workers: '[]' }],
    ['a negative count', { workers: '{"W-1":{"success":-1,"failure":0}}' }],
    ['a fractional count', { workers: '{"W-1":{"success":1.5,"failure":0}}' }],
    ['a missing count', { workers: '{"W-1":{"success":1}}' }],
    ['records that are not a count', { records: '2' }],
    ['a note that is not a string', { note: 3 }],
  ] as const)('does not decode an item with %s', (_label, change) => {
    const metadata = encodeAggregate(foldRecords(undefined, { query: 'q', corpus: 'workers' }, [rec(['W-1'], 'success')], 't'))
    expect(decodeAggregate(metadata)).toBeDefined()
    const changed: Record<string, unknown> = { ...metadata, ...change }
    expect(decodeAggregate(changed as Metadata)).toBeUndefined()
  })

  it('reads an item written before aggregation as one record of each of its workers', () => {
    const legacy = { query: 'welder', worker_ids: ['W-1', 'W-2'], outcome: 'failure', corpus: 'workers', recorded_at: 't' }
    expect(toEvidence({ id: 'pb-old', score: 0.9, metadata: legacy })).toEqual({
      query: 'welder',
      similarity: 0.9,
      corpus: 'workers',
      workers: new Map([
        ['W-1', { success: 0, failure: 1 }],
        ['W-2', { success: 0, failure: 1 }],
      ]),
    })
    expect(toEvidence({ id: 'pb-old', score: 0.9, metadata: { ...legacy, outcome: 'maybe' } })).toBeUndefined()
    expect(toEvidence({ id: 'pb-x', score: 0.9, metadata: { ...legacy, format: 9 } })).toBeUndefined()
  })
})

describe('accumulateBoosts over aggregated records', () => {
  it('counts a query recorded n times n times', () => {
    const evidence: PlaybookEvidence = {
      query: 'welder',
      similarity: 0.8,
      corpus: 'workers',
      workers: new Map([
        ['W-1', { success: 2, failure: 0 }],
        ['W-2', { success: 1, failure: 3 }],
      ]),
    }
    const marks = accumulateBoosts([evidence], weights)
    expect(marks.get('workers\u0000W-1')).toEqual({ boost: 0.16, matched: [{ query: 'welder', similarity: 0.8, outcome: 'success' }] })
    expect(marks.get('workers\u0000W-2')).toEqual({
      boost: -0.04,
      matched: [
        { query: 'welder', similarity: 0.8, outcome: 'failure' },
        { query: 'welder', similarity: 0.8, outcome: 'success' },
      ],
    })
  })

  it('merges items of one query, old and new format alike', () => {
    const legacy = toEvidence({
      id: 'pb-old',
      score: 0.7,
      metadata: { query: 'welder', worker_ids: ['W-1'], outcome: 'success', corpus: 'workers', recorded_at: 't' },
    }) as PlaybookEvidence
    const current = { ...legacy, workers: new Map([['W-1', { success: 1, failure: 0 }]]) }
    expect(accumulateBoosts([legacy, current], weights).get('workers\u0000W-1')).toEqual({
      boost: 0.14,
      matched: [{ query: 'welder', similarity: 0.7, outcome: 'success' }],
    })
  })

  it('equals the per-record formula of the one-item-per-record store on 500 seeded cases', () => {
    const random = seededRandom(20260101)
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T
    const queries = [
      { query: 'welder', similarity: 1 },
      { query: 'tig welder', similarity: 0.8165 },
      { query: 'welder nights', similarity: Math.SQRT1_2 },
      { query: 'mig welder', similarity: 0.5773502691896258 },
      { query: 'line cook', similarity: 0.21 },
    ]
    for (let n = 0; n < 500; n++) {
      const records: RecordEvidence[] = Array.from({ length: 1 + Math.floor(random() * 12) }, () => {
        const q = pick(queries)
        const workerIds = ['W-1', 'W-2', 'W-3', 'W-4'].filter(() => random() < 0.5)
        return {
          ...q,
          corpus: pick(['workers', 'workers', 'other']),
          outcome: random() < 0.7 ? 'success' : 'failure',
          workerIds: workerIds.length > 0 ? workerIds : ['W-1'],
        }
      })
      const w = { ...weights, maxBoost: pick([0.25, 10]) }
      expect(accumulateBoosts(aggregated(records), w), `case ${n}`).toEqual(referenceBoosts(records, w))
    }
  })
})
