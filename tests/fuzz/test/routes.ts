import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from './repo.ts'

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH'

export interface Route {
  /** The package whose router registers it (`gateway` for /health). */
  readonly component: string
  readonly method: RouteMethod
  /** The router pattern: `:param` segments and a trailing `*` (storage keys). */
  readonly pattern: string
}

const REGISTRATION = /^\s*(?:return createRouter\(\))?\s*\.(get|post|put|delete|on)\(\s*(?:'([A-Z]+)',\s*)?([A-Z_]+|'[^']*'|`[^`]*`)\s*,/
const CONSTANT = /^(?:export )?const ([A-Z_]+) = ('[^']*'|`[^`]*`)/

function resolve(expr: string, constants: ReadonlyMap<string, string>, file: string): string {
  if (/^[A-Z_]+$/.test(expr)) {
    const v = constants.get(expr)
    if (v === undefined) throw new Error(`${file}: route uses unknown constant ${expr}`)
    return v
  }
  const body = expr.slice(1, -1)
  return body.replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => resolve(name, constants, file))
}

/**
 * Every route the components register, read from `packages/*\/src/routes.ts` (the
 * `createRouter()` chains), plus the gateway's own `/health`. Reading the sources rather than
 * keeping a list means a new route is fuzzed the day it is added; the suite fails if a
 * routes.ts registers something this reader cannot resolve.
 */
export function readRoutes(root = REPO_ROOT): Route[] {
  const routes: Route[] = [{ component: 'gateway', method: 'GET', pattern: '/health' }]
  const packages = join(root, 'packages')
  for (const pkg of readdirSync(packages).sort()) {
    let text: string
    const file = join(packages, pkg, 'src/routes.ts')
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      continue
    }
    const constants = new Map<string, string>()
    for (const line of text.split('\n')) {
      const c = CONSTANT.exec(line)
      if (c?.[1] !== undefined && c[2] !== undefined) constants.set(c[1], resolve(c[2], constants, file))
    }
    if (!text.includes('createRouter()')) continue
    const chain = text.slice(text.indexOf('createRouter()'))
    for (const line of chain.split('\n')) {
      const m = REGISTRATION.exec(line)
      if (m?.[1] === undefined || m[3] === undefined) continue
      const method = (m[1] === 'on' ? m[2] : m[1].toUpperCase()) as RouteMethod | undefined
      if (method === undefined) throw new Error(`${file}: cannot read the method of ${line.trim()}`)
      routes.push({ component: pkg, method, pattern: resolve(m[3], constants, file) })
    }
  }
  return routes
}

/** The `:name` parameters and the `*` tail of a pattern, in order. */
export function paramsOf(pattern: string): string[] {
  return pattern
    .split('/')
    .filter((s) => s.startsWith(':') || s === '*')
    .map((s) => (s === '*' ? '*' : s.slice(1)))
}
