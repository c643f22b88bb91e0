import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach } from 'vitest'

/** The Bun binary from the workspace devDependency (not the shell shim), for child processes on either runner. */
export const BUN = fileURLToPath(new URL('../../../node_modules/bun/bin/bun.exe', import.meta.url))
export const CHILD = fileURLToPath(new URL('./fixtures/provision-child.ts', import.meta.url))
export const NOBODY = 65534

/** Temp directories under os.tmpdir(), removed after each test of the file that calls this. */
export function useTempDirs(): () => Promise<string> {
  const made: string[] = []
  afterEach(async () => {
    for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true })
  })
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lakehouse-provision-'))
    made.push(dir)
    return dir
  }
}

function commandWorks(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' })
  return r.error === undefined && r.status === 0
}

function commandExists(cmd: string): boolean {
  // `command -v` rather than running the tool: chattr has no flag that exits 0 without a file.
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0
}

/** Why the setpriv tests cannot run here, or undefined when they can. */
export function setprivUnavailable(): string | undefined {
  if (!commandExists('setpriv')) return 'setpriv is not installed'
  if (process.getuid?.() !== 0) return 'switching to another uid with setpriv needs root'
  if (!existsSync(BUN)) return `bun binary not found at ${BUN}`
  return undefined
}

/** Why the chattr tests cannot run here (tool missing, not root, or the filesystem lacks the flag). */
export function chattrUnavailable(): string | undefined {
  if (!commandExists('chattr')) return 'chattr is not installed'
  if (process.getuid?.() !== 0) return 'chattr +i needs root'
  const scratch = spawnSync('mktemp', ['-d'], { encoding: 'utf8' }).stdout.trim()
  try {
    if (!commandWorks('chattr', ['+i', scratch])) return `the filesystem of ${tmpdir()} does not support the immutable flag`
    commandWorks('chattr', ['-i', scratch])
    return undefined
  } finally {
    spawnSync('rm', ['-rf', scratch])
  }
}

export function chattr(flag: '+i' | '-i', path: string): void {
  const r = spawnSync('chattr', [flag, path], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`chattr ${flag} ${path} failed: ${r.stderr}`)
}

export interface ChildResult {
  readonly exitCode: number | null
  readonly stdout: string
  readonly stderr: string
  /** The JSON line the fixture prints: `{ok: true, report}` or `{ok: false, code, detail, extensions}`. */
  readonly result: ChildOutcome
}

export type ChildOutcome =
  | { ok: true; report: { dir: string; created: string[]; key: { path: string; created: boolean; repaired: boolean; mode: string } } }
  | { ok: false; code: string; detail: string; extensions: { path: string; fix: string; errno?: string } }

function parseOutcome(stdout: string): ChildOutcome {
  const line = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .at(-1)
  if (line === undefined) throw new Error(`child printed no result; stdout: ${stdout}`)
  return JSON.parse(line) as ChildOutcome
}

/** Runs the provisioning fixture to completion, optionally as another user via setpriv. */
export function runChild(args: string[], options: { uid?: number } = {}): Promise<ChildResult> {
  const [cmd, argv] =
    options.uid === undefined
      ? [BUN, [CHILD, ...args]]
      : ['setpriv', [`--reuid=${options.uid}`, `--regid=${options.uid}`, '--clear-groups', BUN, CHILD, ...args]]
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    child.on('error', reject)
    child.on('close', (exitCode) => {
      try {
        resolve({ exitCode, stdout, stderr, result: parseOutcome(stdout) })
      } catch (err) {
        reject(new Error(`${(err as Error).message}\nexit ${exitCode}, stderr: ${stderr}`))
      }
    })
  })
}

/** A child started with --barrier: resolves `ready` once it has loaded, provisions when `go()` is called. */
export function startBarrierChild(args: string[]): { ready: Promise<void>; go: () => void; done: Promise<ChildResult> } {
  const child = spawn(BUN, [CHILD, ...args, '--barrier'], { stdio: ['pipe', 'pipe', 'pipe'], env: childEnv() })
  let stdout = ''
  let stderr = ''
  let markReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => {
    markReady = resolve
  })
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString()
    if (stdout.startsWith('ready\n')) markReady()
  })
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (exitCode) => {
      markReady() // never leave the barrier waiting on a child that died while loading
      try {
        resolve({ exitCode, stdout, stderr, result: parseOutcome(stdout) })
      } catch (err) {
        reject(new Error(`${(err as Error).message}\nexit ${exitCode}, stderr: ${stderr}`))
      }
    })
  })
  return { ready, go: () => child.stdin.end('go\n'), done }
}

function childEnv(): NodeJS.ProcessEnv {
  // uid 65534 cannot write Bun's transpiler cache under root's home; the fixture does not need it.
  return { ...process.env, BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0' }
}
