/** `{{name}}` placeholders in steps, filled from a target's captured values. */

export type Vars = ReadonlyMap<string, unknown>

/** A step references a variable no earlier step captured: a corpus error, not a divergence. */
export class UnknownVariableError extends Error {
  override readonly name = 'UnknownVariableError'
}

/**
 * Helpers the load generator adds (`{{pick queries}}`, `{{int 1 5}}`): a name followed by
 * space-separated arguments. Parity passes none, so `{{a b}}` stays literal text there.
 */
export type TemplateHelpers = Readonly<Record<string, (args: readonly string[]) => unknown>>

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)((?:\s+[^\s{}]+)*)\s*\}\}/g
const WHOLE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)((?:\s+[^\s{}]+)*)\s*\}\}$/

function lookup(vars: Vars, name: string): unknown {
  if (!vars.has(name))
    throw new UnknownVariableError(`variable {{${name}}} was never captured (known: ${[...vars.keys()].join(', ') || 'none'})`)
  return vars.get(name)
}

const NO_MATCH = Symbol('literal')

function resolve(match: string, name: string, rawArgs: string, vars: Vars, helpers: TemplateHelpers | undefined): unknown {
  const args = rawArgs.trim() === '' ? [] : rawArgs.trim().split(/\s+/)
  if (args.length === 0 && (helpers === undefined || !Object.hasOwn(helpers, name) || vars.has(name))) return lookup(vars, name)
  if (helpers === undefined) return NO_MATCH
  const helper = Object.hasOwn(helpers, name) ? helpers[name] : undefined
  if (helper === undefined)
    throw new UnknownVariableError(`${match}: ${name} is not a helper (helpers: ${Object.keys(helpers).join(', ') || 'none'})`)
  return helper(args)
}

export function fillString(text: string, vars: Vars, helpers?: TemplateHelpers): string {
  if (!text.includes('{{')) return text
  return text.replace(PLACEHOLDER, (m, name: string, rawArgs: string) => {
    const v = resolve(m, name, rawArgs, vars, helpers)
    if (v === NO_MATCH) return m
    return typeof v === 'string' ? v : JSON.stringify(v)
  })
}

/** In JSON bodies a string that is exactly one placeholder takes the captured value with its type. */
export function fillJson(value: unknown, vars: Vars, helpers?: TemplateHelpers): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value)
    if (whole?.[1] === undefined) return fillString(value, vars, helpers)
    const v = resolve(value, whole[1], whole[2] ?? '', vars, helpers)
    return v === NO_MATCH ? value : v
  }
  if (Array.isArray(value)) return value.map((v) => fillJson(v, vars, helpers))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillJson(v, vars, helpers)]))
  }
  return value
}

/**
 * Reads `$.a.b[0]['c d']` from parsed JSON; undefined when any step is missing. Two forms the
 * load generator's captures and assertions use: `[*]` maps the rest of the path over every
 * element of an array, giving a list of what was found; `[?(@.id=='x')]` takes the first
 * element whose member (compared as text) equals the literal — the differ's array-key form.
 */
export function readJsonPath(value: unknown, path: string): unknown {
  if (!path.startsWith('$')) return undefined
  return readFrom(value, path, 1)
}

const SEGMENT =
  /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\[(\*)\]|\[\?\(@\.([A-Za-z_][A-Za-z0-9_]*)=='((?:[^'\\]|\\.)*)'\)\]/y

function readFrom(value: unknown, path: string, from: number): unknown {
  let cur: unknown = value
  let at = from
  while (at < path.length) {
    SEGMENT.lastIndex = at
    const m = SEGMENT.exec(path)
    if (m === null || m.index !== at) return undefined
    at = SEGMENT.lastIndex
    if (m[4] !== undefined) {
      if (!Array.isArray(cur)) return undefined
      const rest = at
      return cur.map((el) => readFrom(el, path, rest)).filter((v) => v !== undefined)
    }
    if (m[5] !== undefined) {
      if (!Array.isArray(cur)) return undefined
      const member = m[5]
      const wanted = (m[6] ?? '').replace(/\\(.)/g, '$1')
      cur = cur.find((el) => el !== null && typeof el === 'object' && String((el as Record<string, unknown>)[member]) === wanted)
      continue
    }
    const key = m[1] ?? m[3]?.replace(/\\(.)/g, '$1')
    if (key !== undefined) {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined
      cur = (cur as Record<string, unknown>)[key]
    } else {
      if (!Array.isArray(cur)) return undefined
      cur = cur[Number(m[2])]
    }
  }
  return cur
}
