import type { RegExpEngine, RegExpLike } from 'ajv/dist/types/index.js'
import { RE2JS, RE2JSException } from 're2js'
import { translatePattern } from './pattern-syntax.ts'

/**
 * The regular-expression engine ajv uses for caller schemas (`code.regExp`, kind `schema`):
 * issue 11 showed `^(a+)+$` on 33 characters holding Node's event loop for 20 s. Caller
 * patterns run on re2js 2.10 (a pure-JS port of RE2, so Node and Bun run the same code and
 * agree), whose matching is linear in the input. The re2js behaviours this file relies on are
 * pinned in test/re2js-behaviour.test.ts:
 *  1. `test()` is an unanchored search like RegExp.prototype.test, linear in the input.
 *  2. Strings are read as UTF-16 and matched by code point; a lone surrogate is one code
 *     point, as with the `u` flag.
 *  3. `^`/`$` without (?m) match only at the ends of the text; `\d`, `\w`, `\b` are ASCII,
 *     as in ECMAScript without the `i` flag.
 *  4. `\p{…}` General_Category and script tables match V8's and JavaScriptCore's
 *     (Unicode 15.1 on Node 20, Bun 1.4 and re2js 2.10).
 *  5. Syntax RE2 rejects throws RE2JSException: repeat counts over 1000, nested repeats whose
 *     product passes 1000, nesting deeper than 1000.
 *  6. `programSize()` is the instruction count that bounds the work per input character.
 * Linear is not cheap: a repeat over a large class (`[\p{L}\p{N}]{0,1000}`) compiles to
 * thousands of instructions, and measured ~10–85 ns per character per instruction. So each
 * pattern's estimated size is capped and a PatternMeter charges every compile and every
 * match against a per-request budget.
 *
 * Our own schemas (payload-ajv.ts) keep native RegExp: their patterns are fixed, reviewed and
 * linear, and V8's compiled regexps are faster on the hot path of every built-in kind.
 */

/**
 * Largest program (estimated before compiling) a caller pattern may have: room for RE2's own
 * largest repeat of one character (`^a{1000}$`), not for repeats of a group or class beyond it.
 */
export const MAX_PATTERN_SIZE = 1024

/**
 * Work units a compile costs per estimated instruction, relative to one unit per character
 * per instruction when matching. RE2's compile (one-pass analysis of large classes) measured
 * up to ~270 µs per instruction, against ~13 ns per unit for matching.
 */
const COMPILE_UNITS = 5000

/** A caller pattern that has no linear-time equivalent (or is too large); ajv's compile throws it. */
export class PatternUnsupportedError extends Error {
  override readonly name = 'PatternUnsupportedError'
  constructor(
    readonly pattern: string,
    readonly why: string,
  ) {
    super(`pattern ${JSON.stringify(pattern)} cannot run on the linear-time (RE2) engine: ${why}`)
  }
}

/** The request's budget of pattern work ran out; thrown from inside ajv's compile or validate. */
export class PatternWorkExceededError extends Error {
  override readonly name = 'PatternWorkExceededError'
  constructor(
    readonly pattern: string,
    readonly limit: number,
  ) {
    super(`pattern ${JSON.stringify(pattern)} would take the request past its pattern work limit of ${limit} units`)
  }
}

/**
 * Counts pattern work (compile: estimated instructions × COMPILE_UNITS; match: program size ×
 * (characters + 1)) since the last `reset()`. Validation is synchronous, so one meter per
 * validator, reset at the start of each request, is never shared by two requests at once.
 */
export interface PatternMeter {
  reset(): void
  charge(units: number, pattern: string): void
  /** Runs `work` uncharged: for the meta-schemas ajv compiles when an instance is (re)built. */
  exempt<T>(work: () => T): T
  readonly used: number
  readonly limit: number
}

export function createPatternMeter(limit: number): PatternMeter {
  let used = 0
  let exempt = 0
  return {
    reset() {
      used = 0
    },
    charge(units, pattern) {
      if (exempt > 0) return
      if (used + units > limit) throw new PatternWorkExceededError(pattern, limit)
      used += units
    },
    exempt(work) {
      exempt++
      try {
        return work()
      } finally {
        exempt--
      }
    },
    get used() {
      return used
    },
    limit,
  }
}

const MODIFIER_GROUP = /\(\?(?:[a-z]+-?[a-z]*|-[a-z]+):/

/** Compiles one caller pattern for RE2, or throws SyntaxError (not ECMAScript) / PatternUnsupportedError. */
export function compileCallerPattern(pattern: string, meter: PatternMeter): RegExpLike {
  // ECMAScript syntax is checked by the native parser (parse only, never executed), so an
  // invalid pattern is still the SyntaxError that VALIDATOR_INVALID_SCHEMA reports.
  try {
    new RegExp(pattern, 'u')
  } catch (err) {
    // ES2025 modifier groups (`(?i:…)`) parse on Bun (JavaScriptCore) but not on Node 20's V8;
    // the translator refuses them on Bun, so refuse them the same way here and both runtimes
    // give the same answer (docs/validator.md).
    const modifier = MODIFIER_GROUP.exec(pattern)
    if (modifier !== null) {
      // The translator's words on Bun, so the detail is the same on both runtimes.
      throw new PatternUnsupportedError(pattern, `the group syntax ${JSON.stringify(modifier[0].slice(0, 3))} is not supported`)
    }
    throw err
  }
  const translated = translatePattern(pattern)
  if (!translated.ok) throw new PatternUnsupportedError(pattern, translated.message)
  if (translated.size > MAX_PATTERN_SIZE) {
    throw new PatternUnsupportedError(pattern, `it expands to about ${translated.size} instructions; the limit is ${MAX_PATTERN_SIZE}`)
  }
  meter.charge(translated.size * COMPILE_UNITS, pattern)
  let re: RE2JS
  try {
    re = RE2JS.compile(translated.source)
  } catch (err) {
    if (err instanceof RE2JSException) throw new PatternUnsupportedError(pattern, `RE2 rejects it (${err.message})`)
    throw err
  }
  const size = re.programSize()
  const text = `/${pattern}/u`
  return {
    test(input: string) {
      meter.charge(size * (input.length + 1), pattern)
      return re.test(input)
    },
    // ajv keys compiled patterns by toString(); RE2JS's own would be the translated source.
    toString: () => text,
  } as RegExpLike
}

/** The `code.regExp` option for the caller-schema ajv instances. */
export function createCallerRegExp(meter: PatternMeter): RegExpEngine {
  const engine = (pattern: string, flags: string): RegExpLike => {
    // ajv passes 'u' while `unicodeRegExp` is on (its default); the translation assumes it.
    if (flags !== 'u') throw new TypeError(`caller patterns are compiled with the u flag, got ${JSON.stringify(flags)}`)
    return compileCallerPattern(pattern, meter)
  }
  // Only read by ajv's standalone code generation, which the validator does not use.
  return Object.assign(engine, { code: 'callerRegExp' })
}
