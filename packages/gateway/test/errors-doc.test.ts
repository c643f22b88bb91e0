import { readFileSync } from 'node:fs'
import { BODY_REASONS, errorRows, replaceErrorsTable } from '@lakehouse/kit'
import { describe, expect, it } from 'vitest'
import { ERROR_REGISTRIES } from '../src/index.ts'

const DOC = new URL('../../../docs/errors.md', import.meta.url)

describe('docs/errors.md', () => {
  it('lists exactly the codes of every registry (run `pnpm docs:errors` after adding one)', () => {
    const doc = readFileSync(DOC, 'utf8')
    expect(replaceErrorsTable(doc, errorRows(ERROR_REGISTRIES))).toBe(doc)
  })

  it('has exactly the codes counted here (change the count on purpose, with the tracker, when a code is added or retired)', () => {
    // Issue 14 retired six component *_INVALID_REQUEST codes; a code appearing or vanishing by
    // accident is a wire change nobody decided.
    expect(errorRows(ERROR_REGISTRIES).length).toBe(149)
  })

  it('has no code defined twice and every code is SCREAMING_SNAKE', () => {
    const rows = errorRows(ERROR_REGISTRIES)
    expect(new Set(rows.map((r) => r.code)).size).toBe(rows.length)
    for (const r of rows) expect(r.code).toMatch(/^[A-Z][A-Z0-9_]+$/)
  })

  it('documents exactly the request-body reasons kit gives, with their meaning', () => {
    const doc = readFileSync(DOC, 'utf8')
    const table = doc.slice(doc.indexOf('<!-- body-reasons:begin -->'), doc.indexOf('<!-- body-reasons:end -->'))
    const rows = [...table.matchAll(/^\| `([a-z_]+)` \| (.+) \|$/gm)].map((m) => [m[1], m[2]])
    expect(rows).toEqual(Object.entries(BODY_REASONS))
  })
})
