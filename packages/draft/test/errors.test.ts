import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { draftErrors } from '../src/index.ts'

describe('draftErrors', () => {
  it('pins every code and status (codes are never renamed or reused)', () => {
    const pinned = Object.fromEntries(Object.entries(draftErrors.specs).map(([code, spec]) => [code, spec.status]))
    expect(pinned).toEqual({
      DRAFT_UNKNOWN_MODEL: 400,
      DRAFT_WORKER_NOT_FOUND: 404,
      DRAFT_FAILED_VALIDATION: 422,
    })
    expect(draftErrors.component).toBe('draft')
  })

  it('documents every code in docs/draft.md', () => {
    const doc = readFileSync(new URL('../../../docs/draft.md', import.meta.url), 'utf8')
    for (const [code, spec] of Object.entries(draftErrors.specs)) {
      expect(doc).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${spec.status}\\s*\\|`))
    }
  })
})
