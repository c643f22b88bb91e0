/** `{{name}}` placeholders in steps, filled from a target's captured values. */

export type Vars = ReadonlyMap<string, unknown>

/** A step references a variable no earlier step captured: a corpus error, not a divergence. */
export class UnknownVariableError extends Error {
  override readonly name = 'UnknownVariableError'
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g
const WHOLE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/

function lookup(vars: Vars, name: string): unknown {
  if (!vars.has(name))
    throw new UnknownVariableError(`variable {{${name}}} was never captured (known: ${[...vars.keys()].join(', ') || 'none'})`)
  return vars.get(name)
}

export function fillString(text: string, vars: Vars): string {
  if (!text.includes('{{')) return text
  return text.replace(PLACEHOLDER, (_m, name: string) => {
    const v = lookup(vars, name)
    return typeof v === 'string' ? v : JSON.stringify(v)
  })
}

/** In JSON bodies a string that is exactly one placeholder takes the captured value with its type. */
export function fillJson(value: unknown, vars: Vars): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value)
    return whole?.[1] === undefined ? fillString(value, vars) : lookup(vars, whole[1])
  }
  if (Array.isArray(value)) return value.map((v) => fillJson(v, vars))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillJson(v, vars)]))
  }
  return value
}

/** Reads `$.a.b[0]['c d']` from parsed JSON; undefined when any step is missing. */
export function readJsonPath(value: unknown, path: string): unknown {
  const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]/y
  if (!path.startsWith('$')) return undefined
  let cur: unknown = value
  re.lastIndex = 1
  while (re.lastIndex < path.length) {
    const at = re.lastIndex
    const m = re.exec(path)
    if (m === null || m.index !== at) return undefined
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
