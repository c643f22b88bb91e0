import { type ChildProcess, spawn } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type JournalRecord, type JournalStats, openJournal } from '@lakehouse/journal'
import { createNodeFileLock } from '@lakehouse/lock-node'

/**
 * Journal writer processes of both runtimes for the failure tests: apps/node's bundle
 * (dist/journal-writer.js, built once by the test file) and apps/bun's TypeScript entry. This
 * process (vitest on Node) only spawns, kills by pid and replays.
 */

export type WriterRuntime = 'node' | 'bun'
export const WRITER_RUNTIMES: readonly WriterRuntime[] = ['node', 'bun']

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
export const NODE_BIN = process.execPath
/** The Bun binary itself (not the shell shim in node_modules/.bin), so setpriv runs it directly. */
export const BUN_BIN = join(ROOT, 'node_modules/bun/bin/bun.exe')
export const NODE_WRITER = join(ROOT, 'apps/node/dist/journal-writer.js')
export const BUN_WRITER = join(ROOT, 'apps/bun/src/journal-writer.ts')

export function writerArgv(runtime: WriterRuntime): [string, string] {
  return runtime === 'node' ? [NODE_BIN, NODE_WRITER] : [BUN_BIN, BUN_WRITER]
}

export interface Ack {
  readonly seq: number
  readonly id: string
  readonly i: number
}

export interface WriterRun {
  readonly runtime: WriterRuntime
  readonly pid: number
  readonly acks: Ack[]
  /** Every stdout line so far. */
  readonly lines: string[]
  /** Resolves with the first stdout line starting with `word` (rejects if the process ends first). */
  line(word: string, timeoutMs?: number): Promise<string>
  readonly done: Promise<WriterResult>
  kill(): void
}

export interface WriterResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly acks: Ack[]
  readonly lines: string[]
  readonly stderr: string
  readonly stats: Record<string, number> | undefined
  readonly ms: number
}

/** Every process these tests start, so afterEach can SIGKILL stragglers by pid. */
const live = new Set<ChildProcess>()

export async function killStragglers(): Promise<void> {
  const waits: Promise<unknown>[] = []
  for (const child of live) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      waits.push(new Promise((resolve) => child.once('close', resolve)))
      process.kill(child.pid, 'SIGKILL')
    }
  }
  await Promise.all(waits)
  live.clear()
}

/** Starts one writer; `uid` runs it through `setpriv` as that user. Killed after `timeoutMs` whatever happens. */
export function startWriter(runtime: WriterRuntime, args: readonly string[], opts: { uid?: number; timeoutMs?: number } = {}): WriterRun {
  const [bin, entry] = writerArgv(runtime)
  const [cmd, argv] =
    opts.uid === undefined
      ? [bin, [entry, ...args]]
      : ['setpriv', [`--reuid=${opts.uid}`, `--regid=${opts.uid}`, '--clear-groups', bin, entry, ...args]]
  // uid 65534 cannot write Bun's transpiler cache under root's home; the writer does not need it.
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0' } })
  live.add(child)
  const started = performance.now()
  const acks: Ack[] = []
  const lines: string[] = []
  const waiters: { word: string; resolve: (line: string) => void }[] = []
  let stats: Record<string, number> | undefined
  let partial = ''
  let stderr = ''
  const onLine = (line: string) => {
    lines.push(line)
    const [word, a, b, c] = line.split(' ')
    if (word === 'ack') acks.push({ seq: Number(a), id: String(b), i: Number(c) })
    if (word === 'stats') stats = JSON.parse(line.slice(6)) as Record<string, number>
    for (const w of waiters.splice(0)) {
      if (line.startsWith(`${w.word} `) || line === w.word) w.resolve(line)
      else waiters.push(w)
    }
  }
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk
    const parts = partial.split('\n')
    partial = parts.pop() ?? ''
    for (const p of parts) onLine(p)
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000)
  const done = new Promise<WriterResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      live.delete(child)
      if (partial !== '') onLine(partial)
      resolve({ code, signal, acks, lines, stderr, stats, ms: performance.now() - started })
    })
  })
  const line = (word: string, timeoutMs = 15_000) =>
    new Promise<string>((resolve, reject) => {
      const found = lines.find((l) => l.startsWith(`${word} `) || l === word)
      if (found !== undefined) return resolve(found)
      const t = setTimeout(
        () => reject(new Error(`no "${word}" line from the ${runtime} writer within ${timeoutMs} ms; stderr: ${stderr}`)),
        timeoutMs,
      )
      waiters.push({
        word,
        resolve: (l) => {
          clearTimeout(t)
          resolve(l)
        },
      })
      void done.then(() => {
        clearTimeout(t)
        reject(new Error(`the ${runtime} writer ended before a "${word}" line; stderr: ${stderr}`))
      })
    })
  return {
    runtime,
    pid: child.pid ?? -1,
    acks,
    lines,
    line,
    done,
    kill: () => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL')
    },
  }
}

export const runWriter = (runtime: WriterRuntime, args: readonly string[], opts: { uid?: number; timeoutMs?: number } = {}) =>
  startWriter(runtime, args, opts).done

export interface Replay {
  readonly records: JournalRecord[]
  readonly stats: JournalStats
}

/** Replays the store read-only (the journal takes its lock only to append). */
export async function replayStore(dir: string): Promise<Replay> {
  const journal = await openJournal({ dir, lock: createNodeFileLock() })
  try {
    const records: JournalRecord[] = []
    for await (const r of journal.replay()) records.push(r)
    return { records, stats: journal.stats() }
  } finally {
    await journal.close()
  }
}

/** Every line of every segment that parses as a frame (notes included), in file order; independent of the journal's scanner. */
export async function rawFrames(dir: string): Promise<{ seq: number; kind: string }[]> {
  const out: { seq: number; kind: string }[] = []
  for (const sub of ['archive', 'segments']) {
    const names = (await readdir(join(dir, sub)).catch(() => [] as string[])).filter((n) => n.endsWith('.seg')).sort()
    for (const name of names) {
      for (const text of (await readFile(join(dir, sub, name), 'utf8')).split('\n')) {
        try {
          const r = (JSON.parse(text) as { r?: { seq?: number; kind?: string } }).r
          if (typeof r?.seq === 'number' && typeof r.kind === 'string') out.push({ seq: r.seq, kind: r.kind })
        } catch {
          // torn or corrupt bytes: not a frame
        }
      }
    }
  }
  return out
}

export async function segmentNames(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'segments'))).filter((n) => n.endsWith('.seg')).sort()
}

export { seededRandom } from '@lakehouse/kit/testing'
