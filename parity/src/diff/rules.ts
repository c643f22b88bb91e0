/**
 * Compare rules: merging (defaults → file → case → step) and compiling them once into matchers
 * the body walker can ask at each array and number without re-parsing paths.
 */
import { type CompareRules, DEFAULT_HEADER_RULES, type HeaderRule, type RankedRule } from '../model.ts'
import { type PathNode, type PathSegment, parsePath, segmentsOf } from './json-path.ts'
import { type PathTarget, parseTarget, segmentsMatch, targetMatches } from './path-rules.ts'

/**
 * Later parts win: lists are concatenated without duplicates, maps are overlaid key by key.
 * Header names are lower-cased so `Content-Type: present` and `content-type: ignore` collide.
 */
export function mergeRules(...parts: readonly Partial<CompareRules>[]): CompareRules {
  const ignore = new Set<string>()
  const unordered = new Set<string>()
  const arrayKeys: Record<string, string> = {}
  const tolerance: Record<string, number> = {}
  const headers: Record<string, HeaderRule> = {}
  const ranked: Record<string, RankedRule> = {}
  for (const part of parts) {
    for (const rule of part.ignore ?? []) ignore.add(rule)
    for (const rule of part.unordered ?? []) unordered.add(rule)
    Object.assign(arrayKeys, part.arrayKeys)
    Object.assign(tolerance, part.tolerance)
    // A ranked rule is replaced whole: a step restating `$.hits` means its own thresholds.
    Object.assign(ranked, part.ranked)
    for (const [name, rule] of Object.entries(part.headers ?? {})) headers[name.trim().toLowerCase()] = rule
  }
  return { ignore: [...ignore], arrayKeys, unordered: [...unordered], tolerance, headers, ranked }
}

interface PathRule<T> {
  readonly segments: readonly PathSegment[]
  readonly value: T
}

export interface CompiledIgnore {
  readonly rule: string
  readonly target: PathTarget
}

export interface CompiledRules {
  readonly ignore: readonly CompiledIgnore[]
  headerRule(name: string): HeaderRule
  /** The member that identifies elements of the array at `at`, when an arrayKeys rule names that array. */
  arrayKeyFor(at: PathNode): string | undefined
  isUnordered(at: PathNode): boolean
  /** Absolute tolerance for the number at `at`: the most specific rule naming it or an ancestor; 0 when none. */
  toleranceFor(at: PathNode): number
  /** How to compare the array at `at` as a ranked list, when a `ranked` rule names that array. */
  rankedFor(at: PathNode): RankedRule | undefined
}

/**
 * Most specific first, so that `$.items[0]` beats `$.items[*]` and `$.a.b` beats `$.a`;
 * on a tie the later rule (a case overriding its file) wins.
 */
function compilePathRules<T>(entries: readonly (readonly [string, T])[]): PathRule<T>[] {
  const out: (PathRule<T> & { readonly order: number; readonly fixed: number })[] = []
  entries.forEach(([path, value], order) => {
    // Invalid paths never match; the case loader reports them (isValidRulePath).
    const segments = parsePath(path)
    if (segments !== undefined) out.push({ segments, value, order, fixed: segments.filter((s) => s.kind !== 'wildcard').length })
  })
  return out.sort((x, y) => y.segments.length - x.segments.length || y.fixed - x.fixed || y.order - x.order)
}

function firstMatch<T>(rules: readonly PathRule<T>[], at: PathNode, mode: 'exact' | 'prefix'): T | undefined {
  if (rules.length === 0) return undefined
  const path = segmentsOf(at)
  for (const rule of rules) if (segmentsMatch(rule.segments, path, mode)) return rule.value
  return undefined
}

export function compileRules(rules: CompareRules): CompiledRules {
  const ignore: CompiledIgnore[] = []
  for (const rule of rules.ignore) {
    const target = parseTarget(rule)
    if (target !== undefined) ignore.push({ rule, target })
  }
  const headers = new Map(Object.entries(rules.headers).map(([k, v]) => [k.trim().toLowerCase(), v]))
  const arrayKeys = compilePathRules(Object.entries(rules.arrayKeys))
  const unordered = compilePathRules(rules.unordered.map((p) => [p, true] as const))
  const tolerance = compilePathRules(Object.entries(rules.tolerance))
  const ranked = compilePathRules(Object.entries(rules.ranked ?? {}))
  return {
    ignore,
    // hasOwn: a header literally named `constructor` must not pick up Object.prototype's.
    headerRule: (name) =>
      headers.get(name) ?? (Object.hasOwn(DEFAULT_HEADER_RULES, name) ? DEFAULT_HEADER_RULES[name] : undefined) ?? 'equal',
    arrayKeyFor: (at) => firstMatch(arrayKeys, at, 'exact'),
    isUnordered: (at) => firstMatch(unordered, at, 'exact') === true,
    toleranceFor: (at) => firstMatch(tolerance, at, 'prefix') ?? 0,
    rankedFor: (at) => firstMatch(ranked, at, 'exact'),
  }
}

const compiledCache = new WeakMap<CompareRules, CompiledRules>()

/** The runner passes the same rules object for every pair and step of a case; compile it once. */
export function compiledRulesFor(rules: CompareRules): CompiledRules {
  let compiled = compiledCache.get(rules)
  if (compiled === undefined) {
    compiled = compileRules(rules)
    compiledCache.set(rules, compiled)
  }
  return compiled
}

/** The ignore rules (verbatim) that cover `path`; empty when none does. */
export function ignoreRulesFor(rules: CompiledRules, path: string): string[] {
  if (rules.ignore.length === 0) return []
  const target = parseTarget(path)
  if (target === undefined) return []
  return rules.ignore.filter((r) => targetMatches(r.target, target)).map((r) => r.rule)
}
