import { execFileSync } from 'node:child_process'
import { APP_RUNTIMES, type AppRuntime } from '@lakehouse/launch'
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
