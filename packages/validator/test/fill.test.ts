import { describe, expect, it } from 'vitest'
import { createInMemoryWorkerLookup, createValidatorService, type WorkerLookup } from '../src/index.ts'
import { KNOWN_WORKERS, post, service, triples, validate } from './helpers.ts'

function spyLookup(ids: readonly string[] = KNOWN_WORKERS): WorkerLookup & { calls: string[][] } {
  const inner = createInMemoryWorkerLookup(ids)
  const calls: string[][] = []
  return {
    calls,
    existing(query) {
      calls.push([...query])
      return inner.existing(query)
    },
  }
}

describe('kind fill', () => {
  const svc = service()

  it('accepts a full fill of known, distinct workers', async () => {
    const r = await validate(svc, 'fill', { headcount: 2, candidate_ids: ['w-001', 'w-002'], job_id: 'job-9' })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ valid: true, kind: 'fill', warnings: [] })
  })

  it('warns partial_fill when fewer candidates than headcount', async () => {
    const r = await validate(svc, 'fill', { headcount: 3, candidate_ids: ['w-001', 'w-002'] })
    expect(r.status).toBe(200)
    expect(triples(r.body.warnings)).toEqual([['-', '$.candidate_ids', 'partial_fill']])
  })

  it('reports each repeat at its later index', async () => {
    const r = await validate(svc, 'fill', { headcount: 5, candidate_ids: ['w-001', 'w-002', 'w-001', 'w-001', 'w-002'] })
    expect(triples(r.body.errors)).toEqual([
      ['duplicate', '$.candidate_ids[2]', 'duplicate_candidate'],
      ['duplicate', '$.candidate_ids[3]', 'duplicate_candidate'],
      ['duplicate', '$.candidate_ids[4]', 'duplicate_candidate'],
    ])
    expect(r.body.errors[0].message).toBe('$.candidate_ids[2] repeats candidate "w-001" (first at index 0)')
  })

  it('reports more distinct candidates than headcount', async () => {
    const r = await validate(svc, 'fill', { headcount: 1, candidate_ids: ['w-001', 'w-002'] })
    expect(triples(r.body.errors)).toEqual([['consistency', '$.candidate_ids', 'over_headcount']])
  })

  it('reports ids the lookup does not know', async () => {
    const r = await validate(svc, 'fill', { headcount: 3, candidate_ids: ['w-001', 'ghost-1', 'ghost-2'] })
    expect(triples(r.body.errors)).toEqual([
      ['reference', '$.candidate_ids[1]', 'unknown_candidate'],
      ['reference', '$.candidate_ids[2]', 'unknown_candidate'],
    ])
  })

  it('checks the shape: headcount range and type, empty and oversized lists, empty ids', async () => {
    expect(triples((await validate(svc, 'fill', { headcount: 0, candidate_ids: [] })).body.errors)).toEqual([
      ['schema', '$.headcount', 'minimum'],
      ['length', '$.candidate_ids', 'empty'],
    ])
    expect(triples((await validate(svc, 'fill', { headcount: 1001, candidate_ids: ['w-001'] })).body.errors)).toEqual([
      ['schema', '$.headcount', 'maximum'],
    ])
    expect(triples((await validate(svc, 'fill', { headcount: 1.5, candidate_ids: ['w-001', '', 7] })).body.errors)).toEqual([
      ['schema', '$.headcount', 'type'],
      ['length', '$.candidate_ids[1]', 'empty'],
      ['schema', '$.candidate_ids[2]', 'type'],
    ])
    expect(triples((await validate(svc, 'fill', { candidate_ids: 'w-001' })).body.errors)).toEqual([
      ['schema', '$.headcount', 'required'],
      ['schema', '$.candidate_ids', 'type'],
    ])
  })

  it('calls the lookup once per request with every distinct id', async () => {
    const workers = spyLookup()
    const s = createValidatorService({}, { workers })
    await validate(s, 'fill', { headcount: 4, candidate_ids: ['w-001', 'x', 'w-001', 'w-002'] })
    expect(workers.calls).toEqual([['w-001', 'x', 'w-002']])
  })

  it('calls the lookup once for a whole batch', async () => {
    const workers = spyLookup()
    const s = createValidatorService({}, { workers })
    const r = await post(s, '/v1/validate/batch', {
      items: [
        { kind: 'fill', payload: { headcount: 1, candidate_ids: ['w-001'] } },
        { kind: 'sms', payload: { to: '5551234567', body: 'hi' } },
        { kind: 'fill', payload: { headcount: 2, candidate_ids: ['w-003', 'nope'] } },
      ],
    })
    expect(workers.calls).toEqual([['w-001', 'w-003', 'nope']])
    expect(r.body.summary).toEqual({ total: 3, valid: 2, invalid: 1 })
    expect(triples(r.body.results[2].errors)).toEqual([['reference', '$.candidate_ids[1]', 'unknown_candidate']])
  })

  it('does not call the lookup when there is nothing to look up', async () => {
    const workers = spyLookup()
    const s = createValidatorService({}, { workers })
    await validate(s, 'fill', { headcount: 1, candidate_ids: [] })
    await validate(s, 'fill', { headcount: 1, candidate_ids: Array.from({ length: 1001 }, (_, i) => `w-${i}`) })
    await validate(s, 'email', { to: 'a@example.com', subject: 's', body: 'b' })
    expect(workers.calls).toEqual([])
  })

  it('knows no workers until a lookup is injected', async () => {
    const r = await validate(createValidatorService(), 'fill', { headcount: 1, candidate_ids: ['w-001'] })
    expect(triples(r.body.errors)).toEqual([['reference', '$.candidate_ids[0]', 'unknown_candidate']])
  })
})
