/**
 * The recording's durable record: one JSON line per completed exchange, appended to
 * `DIR/exchanges.ndjson` the moment it completes. A crash, a kill -9 or a corpus writer that
 * throws loses nothing already answered; the corpus is built from this file, read back.
 */
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs'
import type { Exchange } from './exchange.ts'

export const EXCHANGE_LOG_NAME = 'exchanges.ndjson'

/**
 * An exchange as logged. A body over the recording cap is not kept (its `ObservedBody` is
 * `empty`); `truncated` gives the real size of each such body, and the corpus skips the entry.
 */
export interface LoggedExchange extends Exchange {
  readonly truncated?: { readonly request?: number; readonly response?: number }
}

export interface ExchangeLog {
  readonly path: string
  append(entry: LoggedExchange): void
  /** Flushes to disk (fsync) and closes; further appends throw. */
  close(): void
}

/**
 * Opens `path` for appending (`overwrite` empties it first). Each entry is written with one
 * synchronous write of a whole line, so a crash leaves at most one torn last line, which
 * `readExchangeLog` skips; no fsync per line (the process dying is the case covered, not the
 * machine), one at close.
 */
export function openExchangeLog(path: string, overwrite = false): ExchangeLog {
  let fd: number | undefined = openSync(path, overwrite ? 'w' : 'a')
  return {
    path,
    append(entry) {
      if (fd === undefined) throw new Error(`exchange log ${path} is closed`)
      const line = Buffer.from(`${JSON.stringify(entry)}\n`)
      let off = 0
      // writeSync may write less than asked (bounded: every pass writes at least one byte or throws).
      while (off < line.byteLength) off += writeSync(fd, line, off)
    },
    close() {
      if (fd === undefined) return
      fsyncSync(fd)
      closeSync(fd)
      fd = undefined
    },
  }
}

export interface ExchangeLogContents {
  /** Every well-formed entry, ordered by `startedAt` (the log itself is in completion order). */
  readonly entries: readonly LoggedExchange[]
  /** Lines that are not an exchange (a torn last line after a crash). */
  readonly malformed: number
}

export function readExchangeLog(path: string): ExchangeLogContents {
  const entries: LoggedExchange[] = []
  let malformed = 0
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      malformed++
      continue
    }
    if (isLoggedExchange(value)) entries.push(value)
    else malformed++
  }
  // Stable sort: equal timestamps keep completion order.
  entries.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0))
  return { entries, malformed }
}

/** The recordable exchanges (no truncated body) without the log-only member. */
export function corpusExchanges(entries: readonly LoggedExchange[]): { exchanges: Exchange[]; truncated: number } {
  const exchanges: Exchange[] = []
  let truncated = 0
  for (const { truncated: t, ...exchange } of entries) {
    if (t === undefined) exchanges.push(exchange)
    else truncated++
  }
  return { exchanges, truncated }
}

const BODY_KINDS = new Set(['empty', 'json', 'text', 'binary'])

function isLoggedExchange(v: unknown): v is LoggedExchange {
  if (v === null || typeof v !== 'object') return false
  const e = v as Record<string, unknown>
  const body = (b: unknown) => b !== null && typeof b === 'object' && BODY_KINDS.has(String((b as { kind?: unknown }).kind))
  return (
    typeof e.startedAt === 'string' &&
    typeof e.method === 'string' &&
    typeof e.target === 'string' &&
    typeof e.status === 'number' &&
    typeof e.durationMs === 'number' &&
    typeof e.requestHeaders === 'object' &&
    e.requestHeaders !== null &&
    typeof e.responseHeaders === 'object' &&
    e.responseHeaders !== null &&
    body(e.requestBody) &&
    body(e.responseBody)
  )
}
