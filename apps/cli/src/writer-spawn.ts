import { spawn } from 'node:child_process'
import { lineSplitter, parseWriterLine, type WriterAck, type WriterStats } from '@lakehouse/journal'
import type { AppRuntime } from '@lakehouse/launch'

export interface WriterExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  /** Parsed `stats {…}` line, when the writer got that far. */
  readonly stats: WriterStats | undefined
  /** `done <id> <count>` was printed. */
  readonly done: boolean
  readonly stderr: string
}

export interface SpawnedWriter {
  readonly runtime: AppRuntime
  readonly id: string
  readonly pid: number
  /** Every ack seen so far, in the order printed. */
  readonly acks: WriterAck[]
  /** Resolves on the `ready` line (journal open, waiting for the start file); rejects if it exits first. */
  readonly ready: Promise<void>
  readonly exited: Promise<WriterExit>
  /** SIGKILL this writer (by its pid, only if it is still running). */
  kill(): void
}

/**
 * Spawns one journal writer process (argv from `journalWriterCommand`) and follows its stdout
 * protocol (the journal's writer-protocol.ts) line by line. The one spawn helper of `doctor collide`.
 */
export function spawnWriter(runtime: AppRuntime, command: readonly string[], id: string, args: readonly string[]): SpawnedWriter {
  const [cmd = '', ...base] = command
  const child = spawn(cmd, [...base, '--id', id, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const acks: WriterAck[] = []
  let stats: WriterStats | undefined
  let done = false
  let stderr = ''
  let markReady: () => void = () => {}
  let failReady: (err: Error) => void = () => {}
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve
    failReady = reject
  })
  ready.catch(() => undefined)
  const lines = lineSplitter((text) => {
    const line = parseWriterLine(text)
    if (line?.word === 'ack') acks.push({ seq: line.seq, writer: line.writer, i: line.i })
    else if (line?.word === 'ready') markReady()
    else if (line?.word === 'done') done = true
    else if (line?.word === 'stats') stats = line.stats
  })
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => lines.push(chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  let running = true
  const exited = new Promise<WriterExit>((resolve) => {
    child.on('error', (err) => {
      stderr += `cannot start ${cmd}: ${err.message}\n`
    })
    child.on('exit', () => {
      running = false
    })
    child.on('close', (code, signal) => {
      running = false
      lines.end()
      failReady(new Error(`writer ${id} (${runtime}) exited (${code ?? signal}) before it was ready: ${stderr.trim()}`))
      resolve({ code, signal, stats, done, stderr })
    })
  })
  return {
    runtime,
    id,
    pid: child.pid ?? -1,
    acks,
    ready,
    exited,
    kill: () => {
      if (running && child.pid !== undefined) process.kill(child.pid, 'SIGKILL')
    },
  }
}
