import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CaseConfigError, loadCases } from '../../src/cases/case-loader.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function corpus(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'parity-ranked-'))
  dirs.push(dir)
  mkdirSync(join(dir, 'search'))
  writeFileSync(join(dir, 'search', 'cases.yaml'), yaml)
  return dir
}

function problems(dir: string): string[] {
  try {
    loadCases({ caseDir: dir, root: dir })
  } catch (e) {
    if (e instanceof CaseConfigError) return [...e.problems]
    throw e
  }
  return []
}

const STEP = 'steps: [{ method: POST, path: /search, json: { q: x } }]'

describe('the ranked compare rule in case files', () => {
  it('maps one list or several (snake_case) onto the model, a case overriding its file', () => {
    const dir = corpus(`
compare:
  ranked: { path: $.hits, key: id, score: score, min_overlap: 0.9, max_displacement: 2, score_tolerance: 0.000001 }
cases:
  - id: search.a
    title: file rule
    ${STEP}
  - id: search.b
    title: case rules
    compare:
      ranked:
        - { path: $.hits, key: id, k: 10 }
        - { path: '$.groups[*].results', key: worker_id }
    ${STEP}
`)
    const [a, b] = loadCases({ caseDir: dir, root: dir })
    expect(a?.compare.ranked).toEqual({
      '$.hits': { key: 'id', score: 'score', minOverlap: 0.9, maxDisplacement: 2, scoreTolerance: 0.000001 },
    })
    expect(b?.compare.ranked).toEqual({ '$.hits': { key: 'id', k: 10 }, '$.groups[*].results': { key: 'worker_id' } })
  })

  it('reports a bad ranked rule with the file and where in it', () => {
    const dir = corpus(`
id: search.bad
title: bad rules
compare:
  ranked: { path: $.hits, key: id, min_overlap: 1.5, max_shift: 2 }
${STEP}
`)
    const found = problems(dir)
    expect(found.some((p) => p.includes('/compare/ranked') && p.includes('max_shift'))).toBe(true)
    expect(found.some((p) => p.includes('/compare/ranked/min_overlap'))).toBe(true)
  })

  it('reports a ranked path that does not parse', () => {
    const dir = corpus(`
id: search.path
title: bad path
compare:
  ranked: { path: '$.hits[', key: id }
${STEP}
`)
    expect(problems(dir)).toEqual([
      `search/cases.yaml: case search.path: "$.hits[" is not a valid rule path ($, .name, ['name'], [0], [*], header:name)`,
    ])
  })

  it('the committed search cases compare their hits as ranked lists', () => {
    const root = resolve(import.meta.dirname, '../../..')
    const cases = loadCases({ caseDir: join(root, 'parity/cases'), root, cases: '{vector,matrix}.search.*' })
    const searches = cases.filter((c) => c.id.startsWith('vector.search.') || c.id.startsWith('matrix.search.'))
    expect(searches.length).toBeGreaterThan(10)
    for (const c of searches) {
      const path = c.component === 'vector' ? '$.hits' : '$.results'
      expect(c.compare.ranked[path], c.id).toMatchObject({ key: 'id', score: 'score' })
    }
  })
})
