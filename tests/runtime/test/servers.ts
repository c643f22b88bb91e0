import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export type Runtime = 'node' | 'bun'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const BUN = join(ROOT, 'node_modules/.bin/bun')

export function appCommand(runtime: Runtime): string[] {
  return runtime === 'node' ? [process.execPath, join(ROOT, 'apps/node/dist/main.js')] : [BUN, join(ROOT, 'apps/bun/src/main.ts')]
}

export interface Exit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

export interface RunningServer {
  readonly runtime: Runtime
  readonly url: string
  readonly proc: ChildProcess
  readonly dataDir: string
  /** Every stdout line so far (JSON logs). */
  readonly lines: string[]
  readonly stderr: string[]
  readonly exited: Promise<Exit>
  /** SIGTERM, wait for exit (bounded), remove the temp data dir. */
  stop(): Promise<Exit>
}

export interface StartOptions {
  readonly args?: readonly string[]
  readonly env?: Readonly<Record<string, string>>
  readonly timeoutMs?: number
}

/** Spawns one app on 127.0.0.1:0 with a fresh data dir and waits for its `listening` line. */
export async function startServer(runtime: Runtime, options: StartOptions = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), `lakehouse-${runtime}-`))
  const [cmd = '', ...base] = appCommand(runtime)
  const proc = spawn(cmd, [...base, '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, ...(options.args ?? [])], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const stderr: string[] = []
  const exited = new Promise<Exit>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })))
  let buffered = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${runtime} did not announce a URL within ${options.timeoutMs ?? 20_000} ms`)),
      options.timeoutMs ?? 20_000,
    )
    proc.stdout?.setEncoding('utf8')
    proc.stdout?.on('data', (chunk: string) => {
      buffered += chunk
      let nl = buffered.indexOf('\n')
      while (nl >= 0) {
        const line = buffered.slice(0, nl)
        buffered = buffered.slice(nl + 1)
        lines.push(line)
        try {
          const rec = JSON.parse(line) as { msg?: string; url?: string }
          if (rec.msg === 'listening' && typeof rec.url === 'string') {
            clearTimeout(timer)
            resolve(rec.url)
          }
        } catch {
          // not a log line; kept in `lines` for diagnostics
        }
        nl = buffered.indexOf('\n')
      }
    })
    proc.stderr?.setEncoding('utf8')
    proc.stderr?.on('data', (chunk: string) => stderr.push(chunk))
    void exited.then((e) => {
      clearTimeout(timer)
      reject(new Error(`${runtime} exited before listening (code ${e.code}, signal ${e.signal}): ${stderr.join('')}`))
    })
  })
  return {
    runtime,
    url,
    proc,
    dataDir,
    lines,
    stderr,
    exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      const timeout = new Promise<Exit>((resolve) =>
        setTimeout(() => {
          proc.kill('SIGKILL')
          resolve({ code: null, signal: 'SIGKILL' })
        }, 15_000).unref(),
      )
      const exit = await Promise.race([exited, timeout])
      rmSync(dataDir, { recursive: true, force: true })
      return exit
    },
  }
}

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
