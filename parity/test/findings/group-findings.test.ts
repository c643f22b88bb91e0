import { describe, expect, it } from 'vitest'
import { findingTitle, groupFindings } from '../../src/findings/group-findings.ts'
import type { Divergence, Finding, ReportedCase, ReportedStep } from '../../src/model.ts'
import { divergenceId } from '../../src/run/divergence-id.ts'
import { applyFindingRows } from '../../src/run/known-findings.ts'
import { divergence, response } from '../report/fixture-report.ts'

const PAIR: [string, string] = ['a', 'b']
const idToString = (path: string): Finding => ({
  class: 'type',
  risk: 'breaking',
  path,
  baseline: 1,
  candidate: '1',
  shape: 'integer→string',
  message: 'integer on a, string on b',
})
const poweredBy: Finding = {
  class: 'header',
  risk: 'medium',
  path: 'header:x-powered-by',
  baseline: 'Express',
  shape: 'present→absent',
  message: 'header x-powered-by present on a, absent on b',
}

function step(
  caseId: string,
  name: string,
  method: string,
  path: string,
  endpoint: string,
  findings: Finding[],
  known?: string,
): ReportedStep {
  const divergences: Divergence[] = findings.map((f) =>
    divergence(divergenceId(caseId, name, PAIR, f.class, f.path), caseId, 'posts', name, f, known, PAIR),
  )
  return {
    name,
    method,
    path,
    endpoint,
    responses: { a: response(200, {}, 1), b: response(200, {}, 1), 'a#2': response(200, {}, 1) },
    divergences,
    noise: [],
    ignored: [],
  }
}

function kase(id: string, steps: ReportedStep[]): ReportedCase {
  return {
    id,
    title: id,
    component: id.split('.')[0] ?? id,
    tags: [],
    file: `cases/${id}.yaml`,
    outcome: 'divergent',
    latencyMs: {},
    steps,
  }
}

describe('groupFindings', () => {
  const cases = [
    kase('posts.get', [
      step('posts.get', 'one', 'GET', '/posts/1', 'GET /posts/{id}', [idToString('$.id'), poweredBy]),
      step('posts.get', 'two', 'GET', '/posts/2', 'GET /posts/{id}', [idToString('$.id'), poweredBy]),
      step('posts.get', 'three', 'GET', '/posts/3', 'GET /posts/{id}', [poweredBy]),
    ]),
    kase('posts.list', [
      // Every element's id differs: one occurrence of the step, one member (indexes are normalised).
      step('posts.list', 'list', 'GET', '/posts', 'GET /posts', [idToString('$[0].id'), idToString('$[1].id'), poweredBy]),
      step('posts.list', 'again', 'GET', '/posts?_page=2', 'GET /posts', []),
    ]),
  ]

  it('makes one finding per pair, class, normalised path and shape, across steps and cases', () => {
    const findings = groupFindings(cases, [PAIR])
    expect(findings.map((f) => findingTitle(f))).toEqual([
      'type $.id integer→string',
      'type $[*].id integer→string',
      'header x-powered-by present→absent',
    ])
  })

  it('counts occurrences against the steps compared at the endpoints it touched', () => {
    const [byId, list, header] = groupFindings(cases, [PAIR])
    expect(byId).toMatchObject({
      occurrences: 2,
      comparisons: 3,
      endpoints: [{ endpoint: 'GET /posts/{id}', occurrences: 2, comparisons: 3 }],
    })
    expect(list).toMatchObject({ occurrences: 1, comparisons: 2, members: [expect.stringMatching(/^pd-/)] })
    expect(header).toMatchObject({
      occurrences: 4,
      comparisons: 5,
      endpoints: [
        { endpoint: 'GET /posts/{id}', occurrences: 3, comparisons: 3 },
        { endpoint: 'GET /posts', occurrences: 1, comparisons: 2 },
      ],
      cases: ['posts.get', 'posts.list'],
      components: ['posts'],
    })
    expect(header?.members).toHaveLength(4)
  })

  it('gives the first occurrence as the example, with both values, and a stable pf- id', () => {
    const [byId] = groupFindings(cases, [PAIR])
    expect(byId?.id).toMatch(/^pf-[0-9a-f]{10}$/)
    expect(byId?.example).toMatchObject({
      caseId: 'posts.get',
      step: 'one',
      endpoint: 'GET /posts/{id}',
      path: '$.id',
      baseline: 1,
      candidate: '1',
    })
    expect(groupFindings(cases, [PAIR]).map((f) => f.id)).toEqual(groupFindings(cases, [PAIR]).map((f) => f.id))
  })

  it('orders by risk, then by breadth', () => {
    const additive: Finding = { class: 'extra', risk: 'additive', path: '$.views', candidate: 3, shape: 'absent→integer', message: 'm' }
    const wide = kase('posts.wide', [
      step('posts.wide', 's1', 'GET', '/x/1', 'GET /x/{id}', [additive, poweredBy]),
      step('posts.wide', 's2', 'GET', '/x/2', 'GET /x/{id}', [additive]),
    ])
    const risks = groupFindings([...cases, wide], [PAIR]).map((f) => [f.risk, f.occurrences])
    expect(risks).toEqual([
      ['breaking', 2],
      ['breaking', 1],
      ['medium', 5],
      ['additive', 2],
    ])
  })

  it('is known only when every member is, and names the rows', () => {
    const half = [
      kase('p.one', [step('p.one', 's', 'GET', '/p/1', 'GET /p/{id}', [poweredBy], 'D-001')]),
      kase('p.two', [step('p.two', 's', 'GET', '/p/2', 'GET /p/{id}', [poweredBy])]),
    ]
    expect(groupFindings(half, [PAIR])[0]).toMatchObject({ known: false, trackerIds: ['D-001'] })
    expect(groupFindings(half.slice(0, 1), [PAIR])[0]).toMatchObject({ known: true, trackerIds: ['D-001'] })
  })

  it('keeps pairs apart', () => {
    const other: Divergence = { ...divergence('pd-aaaaaaaaaa', 'posts.get', 'posts', 'one', poweredBy, undefined, ['a', 'c']) }
    const [first] = cases
    if (first === undefined) throw new Error('fixture')
    const [s0, ...rest] = first.steps
    if (s0 === undefined) throw new Error('fixture')
    const three = [
      {
        ...first,
        steps: [{ ...s0, divergences: [...s0.divergences, other], responses: { ...s0.responses, c: response(200, {}, 1) } }, ...rest],
      },
    ]
    const findings = groupFindings(three, [PAIR, ['a', 'c']])
    const pairs = findings.filter((f) => f.path === 'header:x-powered-by').map((f) => [f.pair.join('>'), f.occurrences, f.comparisons])
    expect(pairs).toEqual([
      ['a>b', 3, 3],
      ['a>c', 1, 1],
    ])
  })
})

describe('groupFindings: co-occurring changes', () => {
  const absent = (name: string): Finding => ({
    class: 'header',
    risk: 'medium',
    path: `header:${name}`,
    baseline: 'x',
    shape: 'present→absent',
    message: `header ${name} present on a, absent on b`,
  })
  const extra = (name: string, type: string): Finding => ({
    class: 'extra',
    risk: 'additive',
    path: `$.${name}`,
    candidate: 1,
    shape: `absent→${type}`,
    message: 'm',
  })
  const cases = [
    kase('h.one', [
      step('h.one', 's1', 'GET', '/a', 'GET /a', [
        absent('vary'),
        absent('pragma'),
        absent('expires'),
        extra('id', 'string'),
        extra('views', 'integer'),
      ]),
      step('h.one', 's2', 'GET', '/b', 'GET /b', [absent('vary'), absent('pragma'), absent('expires')]),
    ]),
    kase('h.two', [step('h.two', 's1', 'GET', '/c', 'GET /c', [absent('vary'), absent('pragma')])]),
  ]

  it('merges headers, or members of one object, that changed the same way in exactly the same steps', () => {
    const findings = groupFindings(cases, [PAIR])
    expect(findings.map((f) => [findingTitle(f), f.occurrences, f.members.length, f.parts.length])).toEqual([
      ['header {pragma,vary} present→absent', 3, 6, 2],
      ['header expires present→absent', 2, 2, 1],
      ['extra $.{id,views} absent→present', 1, 2, 2],
    ])
    const [merged] = findings
    expect(merged?.paths).toEqual(['header:pragma', 'header:vary'])
    expect(merged?.id).toMatch(/^pf-[0-9a-f]{10}$/)
    // The parts are the per-path ids the divergences carry.
    const parts = new Set(cases.flatMap((c) => c.steps.flatMap((s) => s.divergences.map((d) => d.findingId))))
    expect(merged?.parts.every((p) => parts.has(p))).toBe(true)
  })

  it('lets a tracker row naming a merged finding make its members known', () => {
    const findings = groupFindings(cases, [PAIR])
    const [merged] = findings
    if (merged === undefined) throw new Error('fixture')
    const applied = applyFindingRows(cases, findings, new Map([[merged.id, 'D-042']]))
    expect(applied.changed).toBe(true)
    const again = groupFindings(applied.cases, [PAIR])
    expect(again.find((f) => f.id === merged.id)).toMatchObject({ known: true, trackerIds: ['D-042'] })
    expect(applied.cases.find((c) => c.id === 'h.two')?.outcome).toBe('known')
    expect(applied.cases.find((c) => c.id === 'h.one')?.outcome).toBe('divergent')
  })
})
