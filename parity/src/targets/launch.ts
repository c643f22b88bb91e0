import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type AppRuntime, cliCommand, findRepoRoot, MissingBundleError, serverCommand } from '@lakehouse/launch'

export class TargetError extends Error {
  override readonly name = 'TargetError'
}

/** The server's argv from @lakehouse/launch; an unbuilt Node bundle is a TargetError like any other boot failure. */
function appCommand(runtime: AppRuntime, root: string | undefined): string[] {
  try {
    return serverCommand(runtime, root)
  } catch (err) {
    if (err instanceof MissingBundleError) throw new TargetError(err.message)
    throw err
  }
}

/** Runs one `lakehouse` CLI command (on Bun, from the sources) with stdout ignored; resolves its exit code. */
export function runLakehouseCli(
  args: readonly string[],
  options: { readonly root?: string; readonly stderr?: 'inherit' | 'ignore' } = {},
): Promise<number> {
  const root = options.root ?? findRepoRoot()
  return new Promise((resolve, reject) => {
    const [cmd = '', ...base] = cliCommand(root)
    const p = spawn(cmd, [...base, ...args], {
      stdio: ['ignore', 'ignore', options.stderr ?? 'inherit'],
    })
    p.on('error', reject)
    p.on('exit', (code) => resolve(code ?? 1))
  })
}

export interface Exit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

export interface LaunchedApp {
  readonly runtime: AppRuntime
  readonly url: string
  readonly proc: ChildProcess
  readonly dataDir: string
  /** Every stdout line so far (JSON logs). */
  readonly lines: string[]
  readonly stderr: string[]
  readonly exited: Promise<Exit>
  /** SIGTERM, wait (bounded, then SIGKILL), remove the temp data dir unless it was given. */
  stop(): Promise<Exit>
}

export interface LaunchOptions {
  readonly args?: readonly string[]
  readonly env?: Readonly<Record<string, string>>
  /** Defaults to a fresh temp directory, removed on stop. */
  readonly dataDir?: string
  readonly timeoutMs?: number
  readonly root?: string
}

/** Spawns one app on 127.0.0.1:0 and resolves once it announces its URL. */
export async function launchApp(runtime: AppRuntime, options: LaunchOptions = {}): Promise<LaunchedApp> {
  const ownDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `lakehouse-${runtime}-`))
  const [cmd = '', ...base] = appCommand(runtime, options.root)
  const proc = spawn(cmd, [...base, '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, ...(options.args ?? [])], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const stderr: string[] = []
  const exited = new Promise<Exit>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })))
  const spawnFailed = new Promise<never>((_, reject) =>
    proc.on('error', (e) => reject(new TargetError(`cannot start ${runtime} (${cmd}): ${e.message}`))),
  )
  const timeoutMs = options.timeoutMs ?? 20_000
  let buffered = ''
  let timer: NodeJS.Timeout | undefined
  const announced = new Promise<string>((resolve, reject) => {
    timer = setTimeout(
      () => reject(new TargetError(`${runtime} did not announce a URL within ${timeoutMs} ms: ${stderr.join('').trim()}`)),
      timeoutMs,
    )
    proc.stdout?.setEncoding('utf8')
    proc.stdout?.on('data', (chunk: string) => {
      buffered += chunk
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl)
        buffered = buffered.slice(nl + 1)
        lines.push(line)
        if (!line.includes('"listening"')) continue
        try {
          const rec = JSON.parse(line) as { msg?: string; url?: string }
          if (rec.msg === 'listening' && typeof rec.url === 'string') resolve(rec.url)
        } catch {
          // a non-JSON line is kept for diagnostics only
        }
      }
    })
    proc.stderr?.setEncoding('utf8')
    proc.stderr?.on('data', (chunk: string) => stderr.push(chunk))
    void exited.then((e) =>
      reject(new TargetError(`${runtime} exited before listening (code ${e.code}, signal ${e.signal}): ${stderr.join('').trim()}`)),
    )
  })
  const stop = async (): Promise<Exit> => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
    let killTimer: NodeJS.Timeout | undefined
    const killed = new Promise<Exit>((resolve) => {
      killTimer = setTimeout(() => {
        proc.kill('SIGKILL')
        resolve({ code: null, signal: 'SIGKILL' })
      }, 15_000)
    })
    const exit = await Promise.race([exited, killed])
    clearTimeout(killTimer)
    if (ownDir) rmSync(dataDir, { recursive: true, force: true })
    return exit
  }
  try {
    const url = await Promise.race([announced, spawnFailed])
    return { runtime, url, proc, dataDir, lines, stderr, exited, stop }
  } catch (e) {
    await stop()
    throw e
  } finally {
    clearTimeout(timer)
  }
}
