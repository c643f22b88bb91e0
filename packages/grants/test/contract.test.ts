import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as contract from '../src/contract.ts'
import { DATASET_REPLACE_ANY, isDatasetName, isGrantScope, replaceScope, SQL_WRITE_SCOPE, scopeSatisfies } from '../src/contract.ts'
import * as grants from '../src/index.ts'

describe('the grants contract', () => {
  it('imports nothing, so any component can take it without depending on the authority', () => {
    const source = readFileSync(new URL('../src/contract.ts', import.meta.url), 'utf8')
    expect(source).not.toMatch(/^\s*(import|export .* from)\b/m)
  })

  it('is re-exported unchanged from the main entry', () => {
    const main: Record<string, unknown> = { ...grants }
    for (const [name, value] of Object.entries(contract)) expect(main[name], name).toBe(value)
  })

  it('builds dataset.replace scopes that it accepts, for every valid dataset name', () => {
    expect(replaceScope('workers')).toBe('dataset.replace:workers')
    for (const name of ['a', 'workers', 'sales_2024', 'a_', `a${'b'.repeat(62)}`]) {
      expect(isDatasetName(name), name).toBe(true)
      expect(isGrantScope(replaceScope(name)), name).toBe(true)
    }
    for (const name of ['', '_a', '1abc', 'Workers', 'a-b', 'a.b', 'a b', 'a/b', 'é', `a${'b'.repeat(63)}`, 'a\n', 3, undefined]) {
      expect(isDatasetName(name), String(name)).toBe(false)
      if (typeof name === 'string') expect(isGrantScope(replaceScope(name)), name).toBe(false)
    }
    expect(scopeSatisfies(DATASET_REPLACE_ANY, replaceScope('people'))).toBe(true)
    expect(scopeSatisfies(DATASET_REPLACE_ANY, SQL_WRITE_SCOPE)).toBe(false)
  })
})
