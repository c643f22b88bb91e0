import { execFileSync } from 'node:child_process'
import { availableParallelism } from 'node:os'

/**
 * Pins the server and the load generator to different cores with `taskset -a -p` (every
 * thread of the process), so they stop competing for one core's time and the figures say
 * something about the server. Where taskset is missing or there is one core, nothing is
 * pinned and the report says so.
 */
export interface Pinning {
  readonly server: string
  readonly generator: string
}

function taskset(cpus: string, pid: number): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** The CPU split for this machine: the last core for the generator, the rest for the server. */
export function planPinning(): Pinning | null {
  const n = availableParallelism()
  if (n < 2) return null
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' })
  } catch {
    return null
  }
  return { server: n === 2 ? '0' : `0-${n - 2}`, generator: String(n - 1) }
}

export function pinGenerator(plan: Pinning): boolean {
  return taskset(plan.generator, process.pid)
}

export function pinServer(plan: Pinning, pid: number): boolean {
  return taskset(plan.server, pid)
}
