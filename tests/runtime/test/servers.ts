import { spawn } from 'node:child_process'
import { type AppRuntime, appCommand, type Exit, type LaunchedApp, launchApp } from '@lakehouse/parity'

/** The parity instrument's launcher is the one way this repository boots its apps. */
export type Runtime = AppRuntime
export type RunningServer = LaunchedApp
export const startServer = launchApp

/** Runs an app to completion (for boot failures and --help) with a bounded wait. */
export async function runApp(
  runtime: Runtime,
  args: readonly string[],
  timeoutMs = 20_000,
): Promise<{ exit: Exit; stdout: string; stderr: string }> {
  const [cmd = '', ...base] = appCommand(runtime)
  const proc = spawn(cmd, [...base, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  proc.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c))
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
