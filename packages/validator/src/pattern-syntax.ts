/**
 * ECMAScript pattern syntax (`u` flag, as ajv compiles `pattern` and `patternProperties`) →
 * RE2 syntax, for the caller patterns that run on re2js (caller-regexp.ts). Pure text work,
 * no library: the input has already been accepted by `new RegExp(pattern, 'u')`, so only the
 * ECMA-262 §22.2 grammar with the `u` flag has to be understood.
 *
 * What differs between the two and how it is bridged (each pinned in test/re2js-behaviour.test.ts):
 *  - `.` excludes all four ECMAScript line terminators (§22.2.2.8.1); RE2's only excludes \n.
 *  - `\s` is ECMAScript WhiteSpace ∪ LineTerminator (§22.2.2.9, incl. \v, NBSP, U+FEFF, Zs);
 *    RE2's is [\t\n\f\r ].
 *  - `[\b]` is U+0008; `[]` matches nothing and `[^]` anything; `\cX`, `\0`, `\uXXXX` (a
 *    surrogate pair of them is one code point), `\u{…}` have no RE2 spelling but `\x{…}`.
 *  - `\p{…}`: General_Category values (short, long or alias, `gc=` or bare) become RE2's short
 *    names, `Script=`/`sc=` long names pass through, `Any`/`ASCII`/`Assigned` are spelled out;
 *    Script_Extensions and other binary properties have no RE2 equivalent and are refused.
 *  - Every group becomes `(?:…)`: only `test()` runs, so captures and names are dead weight.
 * Literal characters are emitted as `\x{…}` unless alphanumeric, so no RE2-only syntax
 * (`[[:alpha:]]`, `\Q…\E`, `(?i)`) can be smuggled through. Backreferences and lookaround have
 * no linear-time implementation and are refused, as is group syntax newer than ES2018.
 */

export type PatternRefusalReason = 'backreference' | 'lookaround' | 'unsupported_property' | 'unsupported_syntax'

export type Translation =
  | {
      readonly ok: true
      /** The pattern in RE2 syntax. */
      readonly source: string
      /** Upper estimate of RE2's program size (instructions), known before RE2 compiles anything. */
      readonly size: number
    }
  | { readonly ok: false; readonly reason: PatternRefusalReason; readonly message: string }

type Range = readonly [number, number]
const MAX_CODE_POINT = 0x10ffff

/** ECMAScript `\s` (WhiteSpace ∪ LineTerminator, Unicode 15 Zs). */
const WHITESPACE: readonly Range[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
]

function complement(ranges: readonly Range[]): Range[] {
  const out: Range[] = []
  let next = 0
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1])
    next = hi + 1
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT])
  return out
}

function lit(cp: number): string {
  return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)
    ? String.fromCodePoint(cp)
    : `\\x{${cp.toString(16)}}`
}

const rangesText = (ranges: readonly Range[]): string => ranges.map(([lo, hi]) => (lo === hi ? lit(lo) : `${lit(lo)}-${lit(hi)}`)).join('')

const SPACE = rangesText(WHITESPACE)
const NOT_SPACE = rangesText(complement(WHITESPACE))
const LINE_TERMINATORS = rangesText([
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
])
const EVERYTHING = rangesText([[0, MAX_CODE_POINT]])

/** General_Category values ECMAScript accepts (UCD PropertyValueAliases.txt) → RE2's short names. */
const GENERAL_CATEGORY: Readonly<Record<string, string>> = (() => {
  const aliases: Record<string, readonly string[]> = {
    C: ['Other'],
    Cc: ['Control', 'cntrl'],
    Cf: ['Format'],
    Cn: ['Unassigned'],
    Co: ['Private_Use'],
    Cs: ['Surrogate'],
    L: ['Letter'],
    LC: ['Cased_Letter'],
    Ll: ['Lowercase_Letter'],
    Lm: ['Modifier_Letter'],
    Lo: ['Other_Letter'],
    Lt: ['Titlecase_Letter'],
    Lu: ['Uppercase_Letter'],
    M: ['Mark', 'Combining_Mark'],
    Mc: ['Spacing_Mark'],
    Me: ['Enclosing_Mark'],
    Mn: ['Nonspacing_Mark'],
    N: ['Number'],
    Nd: ['Decimal_Number', 'digit'],
    Nl: ['Letter_Number'],
    No: ['Other_Number'],
    P: ['Punctuation', 'punct'],
    Pc: ['Connector_Punctuation'],
    Pd: ['Dash_Punctuation'],
    Pe: ['Close_Punctuation'],
    Pf: ['Final_Punctuation'],
    Pi: ['Initial_Punctuation'],
    Po: ['Other_Punctuation'],
    Ps: ['Open_Punctuation'],
    S: ['Symbol'],
    Sc: ['Currency_Symbol'],
    Sk: ['Modifier_Symbol'],
    Sm: ['Math_Symbol'],
    So: ['Other_Symbol'],
    Z: ['Separator'],
    Zl: ['Line_Separator'],
    Zp: ['Paragraph_Separator'],
    Zs: ['Space_Separator'],
  }
  const map: Record<string, string> = {}
  for (const [short, longs] of Object.entries(aliases)) for (const name of [short, ...longs]) map[name] = short
  return Object.freeze(map)
})()

/** A class escape or character, as it is written inside `[…]` and on its own. */
interface Piece {
  readonly inClass: string
  readonly alone: string
  /** Set for single characters, which alone may be range endpoints. */
  readonly char?: number
}

const charPiece = (cp: number): Piece => ({ inClass: lit(cp), alone: lit(cp), char: cp })

class Refusal extends Error {
  constructor(
    readonly reason: PatternRefusalReason,
    message: string,
  ) {
    super(message)
  }
}

function property(body: string, negated: boolean): Piece {
  const eq = body.indexOf('=')
  const name = eq < 0 ? undefined : body.slice(0, eq)
  const value = eq < 0 ? body : body.slice(eq + 1)
  const named = (re2Name: string): Piece => {
    const text = `\\${negated ? 'P' : 'p'}{${re2Name}}`
    return { inClass: text, alone: text }
  }
  if (name === undefined || name === 'General_Category' || name === 'gc') {
    const short = GENERAL_CATEGORY[value]
    if (short !== undefined) return named(short)
  }
  if (name === 'Script' || name === 'sc') return named(value)
  if (name === undefined && value === 'Any') return named('Any')
  if (name === undefined && value === 'Assigned') {
    const text = `\\${negated ? 'p' : 'P'}{Cn}`
    return { inClass: text, alone: text }
  }
  if (name === undefined && value === 'ASCII') {
    const ranges: Range[] = [[0, 0x7f]]
    const text = rangesText(negated ? complement(ranges) : ranges)
    return { inClass: text, alone: `[${text}]` }
  }
  throw new Refusal('unsupported_property', `the Unicode property \\${negated ? 'P' : 'p'}{${body}} has no RE2 equivalent`)
}

export function translatePattern(pattern: string): Translation {
  try {
    return { ok: true, ...new Translator(pattern).run() }
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, reason: err.reason, message: err.message }
    throw err
  }
}

interface Frame {
  /** Sizes of the finished alternatives. */
  readonly alternatives: number[]
  /** Size of the alternative being read. */
  current: number
  /** Size of the last atom of the current alternative (what a quantifier repeats). */
  last: number
}

class Translator {
  private i = 0
  private out = ''
  private readonly frames: Frame[] = [{ alternatives: [], current: 0, last: 0 }]

  constructor(private readonly p: string) {}

  run(): { source: string; size: number } {
    while (this.i < this.p.length) this.token()
    const root = this.frames[0] as Frame
    return { source: this.out, size: this.close(root) + 1 }
  }

  private get frame(): Frame {
    return this.frames[this.frames.length - 1] as Frame
  }

  private atom(text: string, size = 1): void {
    this.out += text
    this.frame.current += size
    this.frame.last = size
  }

  private close(frame: Frame): number {
    const all = [...frame.alternatives, frame.current]
    return all.reduce((a, b) => a + b, 0) + all.length - 1
  }

  private codePoint(): number {
    const cp = this.p.codePointAt(this.i)
    if (cp === undefined) throw new Refusal('unsupported_syntax', 'the pattern ends inside an escape or class')
    this.i += cp > 0xffff ? 2 : 1
    return cp
  }

  private token(): void {
    const c = this.p[this.i] as string
    switch (c) {
      case '\\': {
        const next = this.p[this.i + 1]
        if (next === 'b' || next === 'B') {
          this.i += 2
          this.atom(`\\${next}`)
        } else {
          this.atom(this.escape().alone)
        }
        break
      }
      case '.':
        this.i++
        this.atom(`[^${LINE_TERMINATORS}]`)
        break
      case '^':
      case '$':
        this.i++
        this.atom(c)
        break
      case '[':
        this.atom(this.characterClass())
        break
      case '(':
        this.openGroup()
        break
      case ')':
        this.closeGroup()
        break
      case '|':
        this.i++
        this.out += '|'
        this.frame.alternatives.push(this.frame.current)
        this.frame.current = 0
        this.frame.last = 0
        break
      case '*':
      case '+':
      case '?':
        this.i++
        this.quantify(c, c === '+' ? 1 : 0, c === '?' ? 1 : Number.POSITIVE_INFINITY)
        break
      case '{':
        this.braces()
        break
      default:
        this.atom(lit(this.codePoint()))
    }
  }

  private closeGroup(): void {
    this.i++
    const inner = this.frames.pop() as Frame
    this.out += ')'
    // Groups cost RE2 nothing once non-capturing; one unit keeps deep nesting from being free.
    const size = this.close(inner) + 1
    this.frame.current += size
    this.frame.last = size
  }

  private openGroup(): void {
    const rest = this.p.slice(this.i, this.i + 4)
    if (rest.startsWith('(?=') || rest.startsWith('(?!') || rest.startsWith('(?<=') || rest.startsWith('(?<!')) {
      throw new Refusal('lookaround', 'lookahead and lookbehind assertions are not supported')
    }
    if (rest.startsWith('(?:')) this.i += 3
    else if (rest.startsWith('(?<')) this.i = this.p.indexOf('>', this.i) + 1
    else if (rest.startsWith('(?'))
      throw new Refusal('unsupported_syntax', `the group syntax ${JSON.stringify(rest.slice(0, 3))} is not supported`)
    else this.i += 1
    this.out += '(?:'
    this.frames.push({ alternatives: [], current: 0, last: 0 })
  }

  /** `{n}`, `{n,}`, `{n,m}`: the only place `{` may appear in a `u` pattern. */
  private braces(): void {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.i, this.i + 64))
    if (m === null) throw new Refusal('unsupported_syntax', 'a brace is not a quantifier')
    this.i += m[0].length
    const min = Number(m[1])
    this.quantify(m[0], min, m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]))
  }

  /**
   * Appends a quantifier. RE2 expands x{n,m} into n copies of x and m−n optional ones (one
   * more instruction each), x{n,} into n copies and a loop, and x*, x+, x? into x and one more.
   */
  private quantify(text: string, min: number, max: number): void {
    let suffix = text
    if (this.p[this.i] === '?') {
      this.i++
      suffix += '?'
    }
    this.out += suffix
    const f = this.frame
    const s = f.last
    const grown = max === Number.POSITIVE_INFINITY ? Math.max(min, 1) * s + 1 : Math.max(min * s + (max - min) * (s + 1), 1)
    f.current += grown - f.last
    f.last = grown
  }

  private characterClass(): string {
    this.i++
    const negated = this.p[this.i] === '^'
    if (negated) this.i++
    if (this.p[this.i] === ']') {
      this.i++
      return negated ? `[${EVERYTHING}]` : `[^${EVERYTHING}]`
    }
    let body = ''
    while (this.p[this.i] !== ']') {
      if (this.i >= this.p.length) throw new Refusal('unsupported_syntax', 'a character class is not closed')
      const from = this.classAtom()
      if (from.char !== undefined && this.p[this.i] === '-' && this.p[this.i + 1] !== ']') {
        this.i++
        const to = this.classAtom()
        if (to.char === undefined) throw new Refusal('unsupported_syntax', 'a class range ends in a class escape')
        body += `${lit(from.char)}-${lit(to.char)}`
      } else {
        body += from.inClass
      }
    }
    this.i++
    return `[${negated ? '^' : ''}${body}]`
  }

  private classAtom(): Piece {
    if (this.p[this.i] !== '\\') return charPiece(this.codePoint())
    if (this.p[this.i + 1] === 'b') {
      this.i += 2
      return charPiece(0x08)
    }
    return this.escape()
  }

  /** Reads `\…` (not `\b`/`\B` outside a class) and returns what it stands for. */
  private escape(): Piece {
    this.i++
    const c = this.p[this.i]
    this.i++
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return { inClass: `\\${c}`, alone: `\\${c}` }
      case 's':
        return { inClass: SPACE, alone: `[${SPACE}]` }
      case 'S':
        return { inClass: NOT_SPACE, alone: `[^${SPACE}]` }
      case 'f':
        return charPiece(0x0c)
      case 'n':
        return charPiece(0x0a)
      case 'r':
        return charPiece(0x0d)
      case 't':
        return charPiece(0x09)
      case 'v':
        return charPiece(0x0b)
      case '0':
        return charPiece(0)
      case 'c':
        return charPiece(this.p.charCodeAt(this.i++) % 32)
      case 'x':
        return charPiece(this.hex(2))
      case 'u':
        return charPiece(this.unicodeEscape())
      case 'k':
        throw new Refusal('backreference', 'backreferences are not supported')
      case 'p':
      case 'P': {
        const end = this.p.indexOf('}', this.i)
        const body = this.p.slice(this.i + 1, end)
        this.i = end + 1
        return property(body, c === 'P')
      }
      default:
        if (c !== undefined && c >= '1' && c <= '9') throw new Refusal('backreference', 'backreferences are not supported')
        if (c === undefined) throw new Refusal('unsupported_syntax', 'the pattern ends with a backslash')
        // An identity escape: `u` patterns allow it only for syntax characters, `/` and (in a class) `-`.
        return charPiece(c.codePointAt(0) as number)
    }
  }

  private hex(digits: number): number {
    const text = this.p.slice(this.i, this.i + digits)
    if (!/^[0-9A-Fa-f]+$/.test(text) || text.length !== digits) throw new Refusal('unsupported_syntax', 'a hex escape is malformed')
    this.i += digits
    return Number.parseInt(text, 16)
  }

  /** `\u{…}`, or `\uXXXX` joined with a following `\uXXXX` trail surrogate as the `u` flag does. */
  private unicodeEscape(): number {
    if (this.p[this.i] === '{') {
      const end = this.p.indexOf('}', this.i)
      const cp = Number.parseInt(this.p.slice(this.i + 1, end), 16)
      this.i = end + 1
      return cp
    }
    const lead = this.hex(4)
    if (lead >= 0xd800 && lead <= 0xdbff && /^\\u[dD][c-fC-F][0-9A-Fa-f]{2}/.test(this.p.slice(this.i, this.i + 6))) {
      this.i += 2
      const trail = this.hex(4)
      return 0x10000 + ((lead - 0xd800) << 10) + (trail - 0xdc00)
    }
    return lead
  }
}
