import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from './repo.ts'

/**
 * The documented error codes and their statuses, read from the generated table in
 * docs/errors.md (between the `errors:begin` and `errors:end` markers) at run time, so a code
 * added there with its registry entry is known here without a change to the suite.
 */
export function documentedCodes(path = join(REPO_ROOT, 'docs/errors.md')): ReadonlyMap<string, number> {
  const text = readFileSync(path, 'utf8')
  const begin = text.indexOf('<!-- errors:begin')
  const end = text.indexOf('<!-- errors:end')
  if (begin < 0 || end < begin) throw new Error(`${path}: no errors:begin/errors:end block`)
  const codes = new Map<string, number>()
  for (const line of text.slice(begin, end).split('\n')) {
    // | component | `CODE` | status | title | when |
    const m = /^\|\s*[\w-]+\s*\|\s*`([A-Z0-9_]+)`\s*\|\s*(\d{3})\s*\|/.exec(line)
    if (m?.[1] !== undefined && m[2] !== undefined) codes.set(m[1], Number(m[2]))
  }
  if (codes.size < 20) throw new Error(`${path}: found only ${codes.size} codes in the table`)
  return codes
}
