import { describe, expect, it } from 'vitest'
import { NODE_MODE_NAMES } from '../src/index.ts'
import { runWorkflow, type Setup, setup } from './helpers.ts'

const node = (id: string, extra: Record<string, unknown> = {}) => ({ id, mode: 'embed', input: { texts: [id] }, ...extra })

async function refused(s: Setup, body: unknown) {
  const r = await runWorkflow(s.svc, body)
  // Validation happens before anything runs or is recorded.
  expect(s.dispatch.calls).toEqual([])
  expect(s.journal.records()).toEqual([])
  expect(s.svc.stats().runs.total).toBe(0)
  return r
}

describe('POST /v1/observer/workflows/run validation', () => {
  it.each([
    ['a non-object body', [], '$', 'type'],
    ['a name of 129 characters', { name: 'n'.repeat(129), nodes: [node('a')] }, '$.name', 'too_long'],
    ['a missing name', { nodes: [node('a')] }, '$.name', 'required'],
    ['a blank name', { name: '  ', nodes: [node('a')] }, '$.name', 'pattern'],
    ['a name with a newline', { name: 'a\nb', nodes: [node('a')] }, '$.name', 'pattern'],
    ['missing nodes', { name: 'w' }, '$.nodes', 'required'],
    ['nodes that is not an array', { name: 'w', nodes: {} }, '$.nodes', 'type'],
    ['no nodes', { name: 'w', nodes: [] }, '$.nodes', 'empty'],
    ['a node that is not an object', { name: 'w', nodes: ['a'] }, '$.nodes[0]', 'type'],
    ['a node without id', { name: 'w', nodes: [{ mode: 'embed', input: {} }] }, '$.nodes[0].id', 'required'],
    ['a node id with a dot', { name: 'w', nodes: [node('a.b')] }, '$.nodes[0].id', 'pattern'],
    ['a numeric mode', { name: 'w', nodes: [{ id: 'a', mode: 1, input: {} }] }, '$.nodes[0].mode', 'type'],
    ['a node without input', { name: 'w', nodes: [{ id: 'a', mode: 'embed' }] }, '$.nodes[0].input', 'required'],
    ['an array input', { name: 'w', nodes: [{ id: 'a', mode: 'embed', input: [] }] }, '$.nodes[0].input', 'type'],
    ['depends_on that is a string', { name: 'w', nodes: [node('a', { depends_on: 'b' })] }, '$.nodes[0].depends_on', 'type'],
    [
      'a repeated dependency',
      { name: 'w', nodes: [node('b'), node('a', { depends_on: ['b', 'b'] })] },
      '$.nodes[1].depends_on',
      'duplicate_items',
    ],
    ['an unknown node member', { name: 'w', nodes: [node('a', { retries: 3 })] }, '$.nodes[0].retries', 'additional_property'],
    ['an unknown workflow member', { name: 'w', nodes: [node('a')], when: 'now' }, '$.when', 'additional_property'],
  ])('answers 400 HTTP_INVALID_REQUEST (the body schema) for %s', async (_label, body, field, reason) => {
    const s = await setup()
    const r = await refused(s, body)
    expect([r.status, r.body.code]).toEqual([400, 'HTTP_INVALID_REQUEST'])
    expect(r.body.errors).toContainEqual(expect.objectContaining({ field, reason }))
  })

  it.each([
    [
      'a draft node without channel',
      { name: 'w', nodes: [{ id: 'd', mode: 'draft', input: { worker_id: 'W-1' } }] },
      '$.nodes[0].input.channel',
      'enum',
    ],
    [
      'a draft channel given by reference',
      { name: 'w', nodes: [node('a'), { id: 'd', mode: 'draft', depends_on: ['a'], input: { channel: { $from: 'a', path: 'model' } } }] },
      '$.nodes[1].input.channel',
      'enum',
    ],
  ])('answers 400 OBSERVER_WORKFLOW_INVALID (after the schema) for %s', async (_label, body, field, reason) => {
    const s = await setup()
    const r = await refused(s, body)
    expect([r.status, r.body.code]).toEqual([400, 'OBSERVER_WORKFLOW_INVALID'])
    expect(r.body.errors).toContainEqual(expect.objectContaining({ field, reason }))
  })

  it('lists every shape problem at once', async () => {
    const s = await setup()
    const r = await refused(s, { name: 5, nodes: [{ id: '', mode: 2 }, 'x'] })
    expect([r.status, r.body.code]).toEqual([400, 'HTTP_INVALID_REQUEST'])
    expect(r.body.errors.map((e: { field: string; reason: string }) => [e.field, e.reason])).toEqual([
      ['$.name', 'type'],
      ['$.nodes[0].input', 'required'],
      ['$.nodes[0].id', 'pattern'],
      ['$.nodes[0].mode', 'type'],
      ['$.nodes[1]', 'type'],
    ])
  })

  it('answers 400 OBSERVER_WORKFLOW_TOO_LARGE over maxNodes, and accepts exactly maxNodes', async () => {
    const s = await setup({ maxNodes: 3 })
    const r = await refused(s, { name: 'w', nodes: [node('a'), node('b'), node('c'), node('d')] })
    expect([r.status, r.body.code, r.body.max_nodes]).toEqual([400, 'OBSERVER_WORKFLOW_TOO_LARGE', 3])
    const ok = await runWorkflow(s.svc, { name: 'w', nodes: [node('a'), node('b'), node('c')] })
    expect([ok.status, ok.body.success]).toEqual([200, true])
  })

  it('answers 400 OBSERVER_UNKNOWN_MODE for each unknown mode, listing the valid ones', async () => {
    const s = await setup()
    const r = await refused(s, { name: 'w', nodes: [node('a', { mode: 'shell' }), node('b'), node('c', { mode: 'constructor' })] })
    expect([r.status, r.body.code]).toEqual([400, 'OBSERVER_UNKNOWN_MODE'])
    expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(['$.nodes[0].mode', '$.nodes[2].mode'])
    expect(r.body.modes).toEqual([...NODE_MODE_NAMES])
    expect(r.body.modes).toEqual(['validate', 'embed', 'sql', 'memory.search', 'matrix.search', 'draft'])
  })

  it('answers 400 OBSERVER_DUPLICATE_NODE pointing at the repeat', async () => {
    const s = await setup()
    const r = await refused(s, { name: 'w', nodes: [node('a'), node('b'), node('a')] })
    expect([r.status, r.body.code]).toEqual([400, 'OBSERVER_DUPLICATE_NODE'])
    expect(r.body.errors).toEqual([expect.objectContaining({ kind: 'duplicate', field: '$.nodes[2].id', reason: 'duplicate_id' })])
  })

  it('answers 400 OBSERVER_UNKNOWN_DEPENDENCY pointing at the entry', async () => {
    const s = await setup()
    const r = await refused(s, { name: 'w', nodes: [node('a'), node('b', { depends_on: ['a', 'ghost'] })] })
    expect([r.status, r.body.code]).toEqual([400, 'OBSERVER_UNKNOWN_DEPENDENCY'])
    expect(r.body.errors).toEqual([expect.objectContaining({ field: '$.nodes[1].depends_on[1]', reason: 'unknown_dependency' })])
  })

  it('answers 400 OBSERVER_REF_INVALID for a $from outside depends_on', async () => {
    const s = await setup()
    const r = await refused(s, {
      name: 'w',
      nodes: [
        node('a'),
        node('b'),
        { id: 'c', mode: 'embed', depends_on: ['a'], input: { texts: [{ $from: 'a' }, { $from: 'b', path: 'model' }] } },
      ],
    })
    expect([r.status, r.body.code]).toEqual([400, 'OBSERVER_REF_INVALID'])
    expect(r.body.errors).toEqual([
      expect.objectContaining({ kind: 'reference', field: '$.nodes[2].input.texts[1]', reason: 'not_a_dependency' }),
    ])
  })

  it.each([
    ['a non-string $from', { $from: 3 }],
    ['an empty path segment', { $from: 'a', path: 'rows..0' }],
    ['a numeric path', { $from: 'a', path: 0 }],
    ['an extra member', { $from: 'a', path: 'x', default: 1 }],
  ])('answers 400 OBSERVER_REF_INVALID for %s', async (_label, ref) => {
    const s = await setup()
    const r = await refused(s, { name: 'w', nodes: [node('a'), { id: 'b', mode: 'embed', depends_on: ['a'], input: { texts: [ref] } }] })
    expect([r.status, r.body.code, r.body.errors[0].reason]).toEqual([400, 'OBSERVER_REF_INVALID', 'malformed_ref'])
  })

  it('answers 400 OBSERVER_WORKFLOW_CYCLE with the cycle in run order', async () => {
    const s = await setup()
    const r = await refused(s, {
      name: 'w',
      nodes: [
        node('start'),
        node('a', { depends_on: ['start', 'c'] }),
        node('b', { depends_on: ['a'] }),
        node('c', { depends_on: ['b'] }),
        node('end', { depends_on: ['c'] }),
      ],
    })
    expect([r.status, r.body.code]).toEqual([400, 'OBSERVER_WORKFLOW_CYCLE'])
    expect(r.body.cycle).toEqual(['a', 'b', 'c'])
    expect(r.body.detail).toBe('depends_on forms a cycle: a → b → c → a')
  })

  it('treats a node depending on itself as a cycle', async () => {
    const s = await setup()
    const r = await refused(s, { name: 'w', nodes: [node('a', { depends_on: ['a'] })] })
    expect([r.status, r.body.code, r.body.cycle]).toEqual([400, 'OBSERVER_WORKFLOW_CYCLE', ['a']])
  })

  it('checks in a fixed order: shape, mode, duplicate, dependency, ref, cycle', async () => {
    const s = await setup()
    const all = (extra: Record<string, unknown>[]) => ({ name: 'w', nodes: [node('a', { depends_on: ['a'] }), ...extra] })
    expect((await runWorkflow(s.svc, all([node('a'), node('z', { mode: 'nope' })]))).body.code).toBe('OBSERVER_UNKNOWN_MODE')
    expect((await runWorkflow(s.svc, all([node('a'), node('z', { depends_on: ['ghost'] })]))).body.code).toBe('OBSERVER_DUPLICATE_NODE')
    expect((await runWorkflow(s.svc, all([node('z', { depends_on: ['ghost'] })]))).body.code).toBe('OBSERVER_UNKNOWN_DEPENDENCY')
    expect((await runWorkflow(s.svc, all([node('z', { input: { $from: 'a' } })]))).body.code).toBe('OBSERVER_REF_INVALID')
    expect((await runWorkflow(s.svc, all([]))).body.code).toBe('OBSERVER_WORKFLOW_CYCLE')
  })

  it('answers 415 and 400 from the body reader', async () => {
    const s = await setup()
    const r = await runWorkflow(s.svc, '{"name": "w", "nodes": [')
    expect([r.status, r.body.code]).toEqual([400, 'HTTP_MALFORMED_JSON'])
  })
})
