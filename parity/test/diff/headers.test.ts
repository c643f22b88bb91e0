import { describe, expect, it } from 'vitest'
import { normalizeMediaType } from '../../src/diff/compare-headers.ts'
import { compareResponses } from '../../src/diff/index.ts'
import type { CompareRules } from '../../src/model.ts'
import { observed, rules } from './observed.ts'

const NAMES = { baseline: 'node', candidate: 'bun' }
const EMPTY = { kind: 'empty' } as const

function diffHeaders(a: Record<string, string>, b: Record<string, string>, part: Partial<CompareRules> = {}) {
  return compareResponses(observed(EMPTY, { headers: a }), observed(EMPTY, { headers: b }), rules(part), NAMES)
}

describe('compareResponses: headers', () => {
  it('compares header names case-insensitively', () => {
    expect(diffHeaders({ 'Content-Type': 'application/json' }, { 'content-type': 'application/json' }).findings).toEqual([])
  })

  it('reports a charset added to content-type as a breaking header difference', () => {
    expect(diffHeaders({ 'content-type': 'application/json' }, { 'content-type': 'application/json; charset=utf-8' }).findings).toEqual([
      {
        class: 'header',
        risk: 'breaking',
        path: 'header:content-type',
        baseline: 'application/json',
        candidate: 'application/json; charset=utf-8',
        shape: 'value',
        message: 'header content-type "application/json" on node, "application/json; charset=utf-8" on bun',
      },
    ])
  })

  it('ignores case, quoting and whitespace inside content-type', () => {
    expect(normalizeMediaType('Application/JSON ;  Charset="UTF-8"')).toBe('application/json;charset=utf-8')
    expect(
      diffHeaders({ 'content-type': 'application/json;charset=utf-8' }, { 'content-type': 'Application/Json; charset=UTF-8' }).findings,
    ).toEqual([])
  })

  it('ignores date and the other volatile headers by default, unless a rule says otherwise', () => {
    const a = { date: 'Mon, 01 Jan 2024 00:00:00 GMT', server: 'node', 'x-request-id': '1' }
    const b = { date: 'Tue, 02 Jan 2024 00:00:00 GMT', 'x-request-id': '2', 'content-length': '3' }
    expect(diffHeaders(a, b).findings).toEqual([])
    expect(diffHeaders(a, b, { headers: { Date: 'equal' } }).findings.map((f) => f.path)).toEqual(['header:date'])
  })

  it('rates missing, extra and changed headers', () => {
    const { findings } = diffHeaders(
      { 'content-type': 'text/plain', etag: '"1"', allow: 'GET' },
      { etag: '"2"', allow: 'GET', vary: 'accept' },
    )
    expect(findings.map((f) => [f.class, f.risk, f.path, f.message])).toEqual([
      ['header', 'breaking', 'header:content-type', 'header content-type present on node, absent on bun'],
      ['header', 'medium', 'header:etag', 'header etag "\\"1\\"" on node, "\\"2\\"" on bun'],
      ['header', 'additive', 'header:vary', 'header vary absent on node, present on bun'],
    ])
    expect(diffHeaders({ 'x-a': '1' }, {}).findings[0]?.risk).toBe('medium')
  })

  it('compares only presence under the present rule, and nothing under ignore', () => {
    expect(diffHeaders({ etag: '"1"' }, { etag: '"2"' }, { headers: { etag: 'present' } }).findings).toEqual([])
    expect(diffHeaders({ etag: '"1"' }, {}, { headers: { etag: 'present' } }).findings).toHaveLength(1)
    expect(diffHeaders({ etag: '"1"' }, {}, { headers: { etag: 'ignore' } }).findings).toEqual([])
  })

  it('moves headers covered by header:<name> ignore rules to ignored', () => {
    const result = diffHeaders({ etag: '"1"', vary: 'a' }, { etag: '"2"', vary: 'b' }, { ignore: ['header:ETag', 'header:x-never'] })
    expect(result.findings.map((f) => f.path)).toEqual(['header:vary'])
    expect(result.ignored.map((f) => f.path)).toEqual(['header:etag'])
    expect(result.matchedRules).toEqual(['header:ETag'])
  })
})
