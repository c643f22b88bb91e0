import { execFileSync } from 'node:child_process'
import { APP_RUNTIMES, type AppRuntime } from '@lakehouse/launch'
import { parseHeaderFlag } from './header-flag.ts'
import { TargetError } from './launch.ts'
import { parseTargetList, type TargetSpec } from './targets.ts'

/**
 * The target flags both instruments take (`--a/--b`, `--targets`, `--runtimes`) → specs, and
 * the commit a report names. Shared by `pnpm parity` and `pnpm load`.
 */
export function gitCommit(root: string): string | undefined {
  try {
    return (
      execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() ||
      undefined
    )
  } catch {
    return undefined
  }
}

export function targetsFromFlags(values: Readonly<Record<string, unknown>>, minTargets = 2): TargetSpec[] {
  if (typeof values.targets === 'string') return parseTargetList(values.targets, minTargets)
  if (typeof values.a === 'string' || typeof values.b === 'string') {
    if (typeof values.a !== 'string' || typeof values.b !== 'string') throw new TargetError('--a and --b go together')
    return parseTargetList(`a=${values.a},b=${values.b}`)
  }
  const runtimes = String(values.runtimes ?? 'node,bun')
    .split(',')
    .map((s) => s.trim())
  for (const r of runtimes)
    if (!APP_RUNTIMES.includes(r as AppRuntime)) throw new TargetError(`--runtimes: ${r} is not one of ${APP_RUNTIMES.join(', ')}`)
  return runtimes.map((r) => ({ name: r, runtime: r as AppRuntime }))
}

/** The name a second instance of the baseline goes by in progress lines and reports (`node.2`). */
export function secondaryName(baseline: string): string {
  return `${baseline}.2`
}

/**
 * `--secondary URL` (a second running instance of the baseline) or `--secondary-boot` (boot a
 * second instance of the booted baseline's runtime) → the spec the noise check observes the
 * baseline's second answer on; undefined when neither flag is given.
 */
export function secondaryFromFlags(values: Readonly<Record<string, unknown>>, targets: readonly TargetSpec[]): TargetSpec | undefined {
  const base = targets[0]
  if (base === undefined) return undefined
  const url = values.secondary
  const boot = values['secondary-boot'] === true
  if (typeof url === 'string' && boot) throw new TargetError('--secondary URL and --secondary-boot exclude each other')
  if (typeof url === 'string') return { name: secondaryName(base.name), url }
  if (!boot) return undefined
  if (!('runtime' in base))
    throw new TargetError(`--secondary-boot boots a second instance of a booted baseline; ${base.name} is a URL: pass --secondary URL`)
  return { name: secondaryName(base.name), runtime: base.runtime }
}

/**
 * `--target-header NAME=Header: value` (repeatable) → the specs with those headers: a header for
 * one target only, e.g. each service's own token (`b=Authorization: Bearer …`); `Header:` with
 * nothing after it sends none. An unknown target name or a malformed header is refused.
 */
export function withTargetHeaders(specs: readonly TargetSpec[], flags: readonly string[]): TargetSpec[] {
  const own = new Map<string, Record<string, string>>()
  for (const flag of flags) {
    const eq = flag.indexOf('=')
    const name = eq > 0 ? flag.slice(0, eq) : ''
    if (!specs.some((s) => s.name === name)) {
      throw new TargetError(`--target-header ${flag}: expected NAME=Header: value with NAME one of ${specs.map((s) => s.name).join(', ')}`)
    }
    const header = parseHeaderFlag(flag.slice(eq + 1))
    if (header === undefined)
      throw new TargetError(`--target-header ${flag}: expected NAME=Header: value (a header name, a colon, a value)`)
    own.set(name, { ...own.get(name), [header[0]]: header[1] })
  }
  return specs.map((s) => {
    const headers = own.get(s.name)
    return headers === undefined ? s : { ...s, headers: { ...s.headers, ...headers } }
  })
}
