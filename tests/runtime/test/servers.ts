import { spawn } from 'node:child_process'
import { serverCommand } from '@lakehouse/launch'
import { type AppRuntime, type Exit, type LaunchedApp, launchApp } from '@lakehouse/parity'

/** The parity instrument's launcher is the one way this repository boots its apps. */
export type Runtime = AppRuntime
export type RunningServer = LaunchedApp
export const startServer = launchApp

export interface RunAppOptions {
  readonly env?: Readonly<Record<string, string>>
  /** A command the app runs under, e.g. `unshare -rn` for a private network namespace. */
  readonly prefix?: readonly string[]
  /** Stop the app (SIGTERM) once stdout contains this text, e.g. `"listening"`. */
  readonly stopOn?: string
}

/** Runs an app to completion (for boot failures and --help) with a bounded wait. */
export async function runApp(
  runtime: Runtime,
  args: readonly string[],
  timeoutMs = 20_000,
  options: RunAppOptions = {},
): Promise<{ exit: Exit; stdout: string; stderr: string }> {
  const [cmd = '', ...base] = [...(options.prefix ?? []), ...serverCommand(runtime)]
  const proc = spawn(cmd, [...base, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } })
  let stdout = ''
  let stderr = ''
  let stopping = false
  proc.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c
    // Once: a second signal means "exit now" (exit 1) to the apps.
    if (!stopping && options.stopOn !== undefined && stdout.includes(options.stopOn)) {
      stopping = true
      proc.kill('SIGTERM')
    }
  })
  proc.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
  const exit = await new Promise<Exit>((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs)
    proc.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal })
    })
  })
  return { exit, stdout, stderr }
}

/**
 * Request timeouts for tests that replay the whole corpus: these check answers, not speed, and
 * a CI machine running other suites on two cores has answered the corpus's slowest case
 * (`query.limits.cut-before-large-list`) after the default 10 s header timeout.
 */
export const CORPUS_TIMEOUTS = { connectMs: 5_000, headersMs: 60_000, bodyMs: 60_000 } as const
