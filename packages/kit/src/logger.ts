import { encodeJson } from './json-codec.ts'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'
export type LogFields = Readonly<Record<string, unknown>>

export interface Logger {
  readonly level: LogLevel
  enabled(level: Exclude<LogLevel, 'silent'>): boolean
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  child(bindings: LogFields): Logger
}

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent']
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 }

export interface LoggerOptions {
  readonly level?: LogLevel
  /** Receives one complete JSON line including the trailing newline. */
  readonly sink: (line: string) => void
  readonly bindings?: LogFields
  readonly now?: () => Date
}

function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return err
  const out: Record<string, unknown> = { name: err.name, message: err.message }
  const code = (err as { code?: unknown }).code
  if (code !== undefined) out.code = code
  if (err.stack !== undefined) out.stack = err.stack
  if (err.cause !== undefined) out.cause = serializeError(err.cause)
  return out
}

/** JSON-lines logger: one object per line, `ts`, `level`, `msg`, then bindings and fields. */
export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? 'info'
  const threshold = RANK[level]
  const now = options.now ?? (() => new Date())
  const bindings = options.bindings ?? {}

  const write = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields) => {
    if (RANK[lvl] < threshold) return
    const record: Record<string, unknown> = { ts: now().toISOString(), level: lvl, msg, ...bindings }
    if (fields !== undefined) {
      for (const [k, v] of Object.entries(fields)) record[k] = v instanceof Error ? serializeError(v) : v
    }
    options.sink(`${encodeJson(record)}\n`)
  }

  return {
    level,
    enabled: (lvl) => RANK[lvl] >= threshold,
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (more) => createLogger({ ...options, bindings: { ...bindings, ...more } }),
  }
}

/** A logger that drops everything; the default for components built in tests. */
export const SILENT_LOGGER: Logger = createLogger({ level: 'silent', sink: () => undefined })
