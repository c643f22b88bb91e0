import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import {
  type JournalRecord,
  type JournalStats,
  lineSplitter,
  listSegments,
  openJournal,
  parseWriterLine,
  STORE_LAYOUT,
  type WriterAck,
  type WriterStats,
} from '@lakehouse/journal'
import { journalWriterCommand } from '@lakehouse/launch'
import { createNodeFileLock } from '@lakehouse/lock-node'

/**
 * Journal writer processes of both runtimes for the failure tests: apps/node's bundle
 * (dist/journal-writer.js, built once by the test file) and apps/bun's TypeScript entry. This
 * process (vitest on Node) only spawns, kills by pid and replays.
 */

export type WriterRuntime = 'node' | 'bun'
export const WRITER_RUNTIMES: readonly WriterRuntime[] = ['node', 'bun']

export interface WriterRun {
  readonly runtime: WriterRuntime
  readonly pid: number
  readonly acks: WriterAck[]
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
  readonly acks: WriterAck[]
  readonly lines: string[]
  readonly stderr: string
  readonly stats: WriterStats | undefined
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
  const [bin = '', ...entry] = journalWriterCommand(runtime)
  const [cmd, argv] =
    opts.uid === undefined
      ? [bin, [...entry, ...args]]
      : ['setpriv', [`--reuid=${opts.uid}`, `--regid=${opts.uid}`, '--clear-groups', bin, ...entry, ...args]]
  // uid 65534 cannot write Bun's transpiler cache under root's home; the writer does not need it.
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0' } })
  live.add(child)
  const started = performance.now()
  const acks: WriterAck[] = []
  const lines: string[] = []
  const waiters: { word: string; resolve: (line: string) => void }[] = []
  let stats: WriterStats | undefined
  let stderr = ''
  const split = lineSplitter((line) => {
    lines.push(line)
    const parsed = parseWriterLine(line)
    if (parsed?.word === 'ack') acks.push({ seq: parsed.seq, writer: parsed.writer, i: parsed.i })
    if (parsed?.word === 'stats') stats = parsed.stats
    for (const w of waiters.splice(0)) {
      if (line.startsWith(`${w.word} `) || line === w.word) w.resolve(line)
      else waiters.push(w)
    }
  })
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => split.push(chunk))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000)
  const done = new Promise<WriterResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      live.delete(child)
      split.end()
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

export async function segmentNames(dir: string): Promise<string[]> {
  return (await listSegments(join(dir, STORE_LAYOUT.segments))).map((f) => f.name)
}

export { seededRandom } from '@lakehouse/kit/testing'
