import { describe, expect, it } from 'vitest'
import { createEventRing } from '../src/event-ring.ts'
import { collectRefs, resolveRefs, UnresolvedRef } from '../src/refs.ts'
import { fitRunRecord } from '../src/run-record.ts'
import type { NodeResult, ObserverEvent, WorkflowRun } from '../src/types.ts'

const event = (seq: number, type = 't'): ObserverEvent => ({ seq, type, source: null, data: null, at: '2025-01-01T00:00:00.000Z' })

describe('createEventRing', () => {
  it('keeps seq order when an append overtakes another, and evicts a late event older than everything kept', () => {
    const ring = createEventRing(3)
    for (const s of [1, 3, 2]) ring.push(event(s))
    expect(ring.after(0, 10).map((e) => e.seq)).toEqual([1, 2, 3])
    ring.push(event(5))
    expect(ring.after(0, 10).map((e) => e.seq)).toEqual([2, 3, 5])
    ring.push(event(0))
    expect(ring.after(0, 10).map((e) => e.seq)).toEqual([2, 3, 5])
    expect([ring.evicted, ring.evictedThrough, ring.lastSeq, ring.oldestSeq]).toEqual([2, 1, 5, 2])
  })

  it('finds the cursor position by binary search across the wrap point', () => {
    const ring = createEventRing(5)
    for (let s = 1; s <= 13; s += 2) ring.push(event(s, s % 3 === 0 ? 'three' : 'other'))
    expect(ring.after(0, 10).map((e) => e.seq)).toEqual([5, 7, 9, 11, 13])
    expect(ring.after(8, 10).map((e) => e.seq)).toEqual([9, 11, 13])
    expect(ring.after(9, 1).map((e) => e.seq)).toEqual([11])
    expect(ring.after(13, 10)).toEqual([])
    expect(ring.after(0, 10, 'three').map((e) => e.seq)).toEqual([9])
  })
})

describe('refs', () => {
  // JSON.parse makes "__proto__" an own member, as a component's JSON answer would.
  const outputs = new Map<string, unknown>([['q', JSON.parse('{"rows":[["a","b"]],"0":"zero","__proto__":"proto"}')]])

  it('resolves dotted paths: numeric segments index arrays, other segments are members', () => {
    const input = JSON.parse('{"x":{"$from":"q","path":"rows.0.1"},"y":[{"$from":"q","path":"0"}],"z":{"$from":"q","path":"__proto__"}}')
    expect(resolveRefs(input, outputs, '$')).toEqual({ x: 'b', y: ['zero'], z: 'proto' })
  })

  it('does not let a "__proto__" key in the input become a prototype', () => {
    const input = JSON.parse('{"__proto__":{"polluted":true}}')
    const out = resolveRefs(input, outputs, '$') as Record<string, unknown>
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
    expect(Object.hasOwn(out, '__proto__')).toBe(true)
  })

  it.each(['rows.1', 'rows.0.2', 'rows.x', 'missing', 'rows.0.1.length'])('throws UnresolvedRef for %s', (path) => {
    expect(() => resolveRefs({ v: { $from: 'q', path } }, outputs, '$')).toThrow(UnresolvedRef)
  })

  it('collects every ref with its field and reports malformed ones', () => {
    const out: unknown[] = []
    const found = collectRefs({ a: [{ $from: 'x' }], b: { c: { $from: 'y', path: 'p.q' } }, bad: { $from: 1 } }, '$.in', out as never)
    expect(found).toEqual([
      { from: 'x', path: undefined, field: '$.in.a[0]' },
      { from: 'y', path: 'p.q', field: '$.in.b.c' },
    ])
    expect(out).toHaveLength(1)
  })
})

describe('fitRunRecord', () => {
  const node = (id: string, output: unknown): NodeResult => ({ id, mode: 'embed', status: 'ok', started_at: 'x', duration_ms: 1, output })
  const run = (nodes: NodeResult[]): WorkflowRun => ({
    run_id: 'r',
    name: 'n',
    success: true,
    started_at: 's',
    finished_at: 'f',
    duration_ms: 1,
    truncated: false,
    nodes,
  })

  it('returns the run itself when it fits', () => {
    const r = run([node('a', 1)])
    expect(fitRunRecord(r, 1000)).toBe(r)
  })

  it('cuts error bodies when dropping every output is not enough, keeping code and status', () => {
    const failed: NodeResult = {
      id: 'f',
      mode: 'validate',
      status: 'failed',
      started_at: 'x',
      duration_ms: 1,
      error: { code: 'VALIDATION_FAILED', status: 422, detail: 'd'.repeat(5000), title: 'Validation Failed', errors: ['e'.repeat(5000)] },
    }
    const fitted = fitRunRecord(run([failed, node('a', 'x'.repeat(100))]), 2000)
    expect(fitted.truncated).toBe(true)
    expect(fitted.nodes[0]?.error).toEqual({
      code: 'VALIDATION_FAILED',
      status: 422,
      title: 'Validation Failed',
      detail: `${'d'.repeat(256)}…`,
    })
    expect(fitted.nodes[1]).toMatchObject({ id: 'a', output_truncated: true })
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBeLessThanOrEqual(2000)
  })

  it('keeps 128 nodes with long ids under 48 KiB in its last stage', () => {
    const nodes = Array.from(
      { length: 128 },
      (_, i): NodeResult => ({
        id: `${String(i).padStart(3, '0')}${'n'.repeat(61)}`,
        mode: 'matrix.search',
        status: 'failed',
        started_at: '2025-01-01T00:00:00.000Z',
        duration_ms: 3_600_000,
        error: { code: 'OBSERVER_WORKFLOW_TIMEOUT', status: 504, detail: 'x'.repeat(1000), title: 'Workflow Timed Out' },
      }),
    )
    const fitted = fitRunRecord({ ...run(nodes), name: 'é'.repeat(128) }, 48 * 1024)
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBeLessThanOrEqual(48 * 1024)
    expect(fitted.nodes.every((n) => n.error?.code === 'OBSERVER_WORKFLOW_TIMEOUT')).toBe(true)
  })
})
