import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadMix, MixConfigError } from '../src/mix/mix-loader.ts'
import { parseThreshold } from '../src/mix/thresholds.ts'
import { mixFromYaml } from './fixtures/mixes.ts'

function problemsOf(yaml: string): string[] {
  try {
    mixFromYaml(yaml)
  } catch (e) {
    if (e instanceof MixConfigError) return [...e.problems]
    throw e
  }
  throw new Error('the mix loaded')
}

describe('loadMix', () => {
  it('loads the reference mix: six scenarios with the seed weights, every step asserting', () => {
    const root = join(import.meta.dirname, '../..')
    const mix = loadMix(join(root, 'load/mixes/staffing.yaml'), root)
    expect(mix.file).toBe('load/mixes/staffing.yaml')
    expect(mix.requires.corpus).toBe(true)
    expect(Object.fromEntries(mix.scenarios.map((s) => [s.name, s.weight]))).toEqual({
      cold_search_email: 35,
      surge_fill_validate: 15,
      profile_swap: 15,
      repeat_cache: 15,
      sms_validate: 10,
      playbook_record_replay: 10,
    })
    expect((mix.pools.queries ?? []).length).toBeGreaterThanOrEqual(50)
    for (const s of mix.scenarios) for (const step of s.steps) expect(step.expect.status, `${s.name}.${step.name}`).toBeDefined()
    expect(mix.sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('reports every problem of a file at once, with file and path', () => {
    const problems = problemsOf(`
name: bad
thresholds: ["p99 < 10"]
scenarios:
  - name: a
    weight: 1
    vars: { q: "{{pick nopool}}" }
    steps:
      - { name: s, method: GET, path: "/x/{{unknown}}", expect: { body: [{ path: "results", not_empty: true }] } }
      - { name: s, method: GET, path: /y, capture: { v: { from: body } } }
      - { name: t, method: GET, path: "/{{nohelper 1}}", expect: { body: [{ path: "$.a", matches: "(" }] } }
  - name: a
    weight: 2
    steps: [{ method: GET, path: /z }]
`)
    const text = problems.join('\n')
    expect(text).toContain('mix.yaml: two scenarios are named a')
    expect(text).toContain('thresholds[0]: "p99 < 10": a latency needs a unit')
    expect(text).toContain('{{pick nopool}} names no pool')
    expect(text).toContain('{{unknown}} is not a scenario var, an earlier capture or iteration')
    expect(text).toContain('"results" is not a path')
    expect(text).toContain('two steps are named s')
    expect(text).toContain('capture.v: a body capture needs a path')
    expect(text).toContain('nohelper is not a helper')
    expect(text).toContain('is not a regular expression')
    expect(problems.length).toBeGreaterThanOrEqual(9)
  })

  it('reports schema errors with their JSON path (unknown members, bad weights, bad methods)', () => {
    const problems = problemsOf(`
name: bad
scenarios:
  - { name: a, weight: 0, steps: [{ method: FETCH, path: /x, exepct: {} }] }
`)
    const text = problems.join('\n')
    expect(text).toContain('/scenarios/0/weight')
    expect(text).toContain('/scenarios/0/steps/0/method')
    expect(text).toContain('(exepct)')
  })

  it('refuses a missing file and a file that does not parse', () => {
    expect(() => loadMix('/nonexistent/mix.yaml', '/')).toThrow(MixConfigError)
    const dir = mkdtempSync(join(tmpdir(), 'mix-'))
    writeFileSync(join(dir, 'm.yaml'), 'name: [unclosed')
    expect(() => loadMix(join(dir, 'm.yaml'), dir)).toThrow(/cannot parse/)
  })

  it('accepts captures used by later steps and in paths of assertions', () => {
    const mix = mixFromYaml(`
name: ok
scenarios:
  - name: a
    weight: 1
    steps:
      - { name: one, method: GET, path: /x, capture: { id: { from: body, path: "$.items[0].id" } } }
      - { name: two, method: GET, path: "/y/{{id}}", expect: { body: [{ path: "$.items[?(@.id=='{{id}}')].n", gt: 0 }] } }
`)
    expect(mix.scenarios[0]?.steps[1]?.expect.body?.[0]).toEqual({ path: "$.items[?(@.id=='{{id}}')].n", op: 'gt', value: 0 })
  })
})

describe('parseThreshold', () => {
  it('parses latencies to microseconds, failures to percent and rates to scenarios/s', () => {
    expect(parseThreshold('p99 < 10ms')).toMatchObject({ metric: 'p99', op: '<', value: 10_000 })
    expect(parseThreshold('p99.9 <= 1s')).toMatchObject({ metric: 'p999', op: '<=', value: 1_000_000 })
    expect(parseThreshold('p50<800us')).toMatchObject({ metric: 'p50', value: 800 })
    expect(parseThreshold('fail < 0.1%')).toMatchObject({ metric: 'fail', value: 0.1 })
    expect(parseThreshold('rate > 100/s')).toMatchObject({ metric: 'rate', op: '>', value: 100 })
  })

  it('refuses what it cannot read', () => {
    for (const bad of ['p98 < 1ms', 'fail < 1', 'p99 10ms', 'rate > 5ms', 'p99 < ms']) expect(() => parseThreshold(bad), bad).toThrow()
  })
})
