/**
 * Matching finding paths against rules, and the normalised form used for stable ids.
 * A finding path is `status`, `header:<name>` or a body JSONPath (see json-path.ts).
 */
import { formatPath, type PathSegment, parsePath, WILDCARD } from './json-path.ts'

export type PathTarget =
  | { readonly kind: 'status' }
  /** Lower-case header name; `*` in a rule matches every header. */
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'body'; readonly segments: readonly PathSegment[] }

const HEADER_PREFIX = 'header:'

export function parseTarget(path: string): PathTarget | undefined {
  const text = path.trim()
  if (text === 'status') return { kind: 'status' }
  if (text.toLowerCase().startsWith(HEADER_PREFIX)) {
    const name = text.slice(HEADER_PREFIX.length).trim().toLowerCase()
    return name === '' ? undefined : { kind: 'header', name }
  }
  const segments = parsePath(text)
  return segments === undefined ? undefined : { kind: 'body', segments }
}

/** For the case loader: a rule that does not parse can never match, so it should be reported up front. */
export function isValidRulePath(rule: string): boolean {
  return parseTarget(rule) !== undefined
}

export function segmentMatches(rule: PathSegment, path: PathSegment): boolean {
  if (rule.kind === 'wildcard') return true
  switch (path.kind) {
    case 'member':
      return rule.kind === 'member' && rule.name === path.name
    case 'index':
      return rule.kind === 'index' && rule.index === path.index
    case 'filter':
      return rule.kind === 'filter' && rule.key === path.key && rule.value === path.value
    case 'wildcard':
      return false
  }
}

/** True when `rule` selects `path` itself (`exact`) or `path` or one of its ancestors (`prefix`). */
export function segmentsMatch(rule: readonly PathSegment[], path: readonly PathSegment[], mode: 'exact' | 'prefix'): boolean {
  if (rule.length > path.length || (mode === 'exact' && rule.length !== path.length)) return false
  for (let i = 0; i < rule.length; i++) {
    const r = rule[i]
    const p = path[i]
    if (r === undefined || p === undefined || !segmentMatches(r, p)) return false
  }
  return true
}

export function targetMatches(rule: PathTarget, path: PathTarget): boolean {
  switch (rule.kind) {
    case 'status':
      return path.kind === 'status'
    case 'header':
      return path.kind === 'header' && (rule.name === '*' || rule.name === path.name)
    case 'body':
      return path.kind === 'body' && segmentsMatch(rule.segments, path.segments, 'prefix')
  }
}

/**
 * Does an ignore rule cover a finding path? A rule covers the path and everything below it
 * (`$.a` covers `$.a.b[3]`); `[*]` and `.*` stand for any one element or member.
 */
export function pathMatches(rule: string, path: string): boolean {
  const r = parseTarget(rule)
  const p = parseTarget(path)
  return r !== undefined && p !== undefined && targetMatches(r, p)
}

/**
 * Replaces positions and key filters with `[*]` so that ids stay stable when an element moves
 * or its key changes: `$.items[3].n` and `$.items[?(@.id=='b')].n` both become `$.items[*].n`.
 * Member names are kept. Unparseable paths come back unchanged.
 */
export function normalizePath(path: string): string {
  const target = parseTarget(path)
  if (target === undefined) return path
  if (target.kind === 'status') return 'status'
  if (target.kind === 'header') return `${HEADER_PREFIX}${target.name}`
  return formatPath(target.segments.map((s) => (s.kind === 'index' || s.kind === 'filter' ? WILDCARD : s)))
}
