/**
 * `pnpm parity record`: flags, the recording's lifecycle and its summary. The proxy runs
 * until Ctrl-C / SIGTERM, `--max-exchanges` or `--duration`; then it stops accepting, lets
 * in-flight exchanges finish (bounded), and turns the exchange log into a case corpus.
 */

import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { isProblem, parseDurationMs, parseInteger } from '@lakehouse/kit'
import { request } from 'undici'
import { displayPath } from '../display-path.ts'
import { httpUrl } from '../targets/http-url.ts'
import { type CorpusOptions, RECORDED_FILE, type RecordedCorpus, writeRecordedCorpus } from './corpus-writer.ts'
import type { Exchange } from './exchange.ts'
import { corpusExchanges, EXCHANGE_LOG_NAME, type LoggedExchange, openExchangeLog, readExchangeLog } from './exchange-log.ts'
import { DEFAULT_MAX_BODY_BYTES, RECORD_LISTEN_HOST, RecordProxyError, startRecordProxy } from './record-proxy.ts'

export const RECORD_USAGE = `pnpm parity record --target URL --out DIR [options]

A recording reverse proxy: forwards every request to one service, logs each exchange to
DIR/${EXCHANGE_LOG_NAME} as it completes, and on Ctrl-C (or a limit) writes a case corpus to
DIR/<component>/${RECORDED_FILE} that plain \`pnpm parity --case-dir DIR\` replays.

  --listen HOST:PORT       where clients connect (default ${RECORD_LISTEN_HOST}:0, a free port;
                           the host must be ${RECORD_LISTEN_HOST})
  --target URL             the recorded service (a path prefix is kept)
  --out DIR                the corpus directory (the replay's --case-dir)
  --component NAME         case id prefix and subdirectory (default recorded)
  --redact-header NAME     redact this request header too (repeatable; Authorization,
                           Cookie, Set-Cookie and Proxy-Authorization always are)
  --redact-json PATH       redact this JSON path of request bodies, e.g. $.password (repeatable)
  --no-fold                one case per exchange: do not fold near-duplicates into weights
  --max-exchanges N        stop after forwarding N requests (default 10000)
  --duration DUR           stop after this long (e.g. 30s, 10m)
  --overwrite              replace an earlier recording in DIR
  --from-log FILE          record nothing: write the corpus from an earlier exchanges.ndjson
                           (to fold, redact or name it differently); --target only names the replay
  --quiet                  no line per exchange

exit codes: 0 recorded (also when nothing was), 2 bad flags, an unreachable target, or a
corpus that cannot be written (the exchange log is kept)`

const DEFAULT_MAX_EXCHANGES = 10_000
/** In-flight exchanges get this long to finish after the stop; later ones are cut and not recorded. */
const DRAIN_MS = 5_000
const PROBE_MS = 5_000

export interface RecordSink {
  write(text: string): unknown
}

export type CorpusWriter = (exchanges: readonly Exchange[], options: CorpusOptions) => RecordedCorpus

export interface RecordIo {
  readonly stdout?: RecordSink
  readonly stderr?: RecordSink
  /** Aborting it stops the recording as Ctrl-C does. */
  readonly signal?: AbortSignal
  /** Stop on SIGINT / SIGTERM (default true; tests pass false and use `signal`). */
  readonly handleSignals?: boolean
  /** The corpus step (default `writeRecordedCorpus`). */
  readonly writeCorpus?: CorpusWriter
  /** Called once the proxy listens, with its URL. */
  readonly onListening?: (url: string) => void
  /** Per-body recording cap (default 1 MiB). */
  readonly maxBodyBytes?: number
}

class RecordFlagError extends Error {}

interface RecordFlags {
  readonly port: number
  /** Empty with `fromLog` (no proxy runs). */
  readonly target: string
  /** `--from-log FILE`: write the corpus from an earlier recording's log instead of recording. */
  readonly fromLog?: string
  readonly out: string
  readonly component?: string
  readonly redactHeaders: readonly string[]
  readonly redactJsonPaths: readonly string[]
  readonly fold: boolean
  readonly maxExchanges: number
  readonly durationMs?: number
  readonly overwrite: boolean
  readonly quiet: boolean
}

function parseListen(text: string): number {
  const m = /^(?:(.*):)?(\d{1,5})$/.exec(text)
  if (m === null) throw new RecordFlagError(`--listen must be HOST:PORT (${RECORD_LISTEN_HOST}:8080), got ${JSON.stringify(text)}`)
  const host = m[1] ?? RECORD_LISTEN_HOST
  if (host !== RECORD_LISTEN_HOST) {
    throw new RecordFlagError(
      `--listen host must be ${RECORD_LISTEN_HOST}, got ${host}: the proxy sees credentials and bodies before redaction`,
    )
  }
  const port = Number(m[2])
  if (port > 65_535) throw new RecordFlagError(`--listen port must be 0–65535, got ${port}`)
  return port
}

function parseFlags(argv: readonly string[]): RecordFlags | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      listen: { type: 'string' },
      target: { type: 'string' },
      out: { type: 'string' },
      component: { type: 'string' },
      'redact-header': { type: 'string', multiple: true },
      'redact-json': { type: 'string', multiple: true },
      'no-fold': { type: 'boolean' },
      'max-exchanges': { type: 'string' },
      duration: { type: 'string' },
      overwrite: { type: 'boolean' },
      quiet: { type: 'boolean' },
      'from-log': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help === true) return 'help'
  if (positionals.length > 0) throw new RecordFlagError(`unexpected argument ${JSON.stringify(positionals[0])}`)
  if (values.out === undefined) throw new RecordFlagError('--out DIR is required')
  const fromLog = values['from-log']
  if (fromLog !== undefined) {
    for (const flag of ['listen', 'max-exchanges', 'duration'] as const)
      if (values[flag] !== undefined) throw new RecordFlagError(`--${flag} records; --from-log only rewrites a corpus from a log`)
    return {
      port: 0,
      target: values.target ?? '',
      fromLog: resolve(fromLog),
      out: resolve(values.out),
      ...(values.component === undefined ? {} : { component: values.component }),
      redactHeaders: values['redact-header'] ?? [],
      redactJsonPaths: values['redact-json'] ?? [],
      fold: values['no-fold'] !== true,
      maxExchanges: DEFAULT_MAX_EXCHANGES,
      overwrite: values.overwrite === true,
      quiet: values.quiet === true,
    }
  }
  if (values.target === undefined) throw new RecordFlagError('--target URL is required')
  httpUrl('--target', values.target, (m) => new RecordFlagError(m))
  return {
    port: parseListen(values.listen ?? `${RECORD_LISTEN_HOST}:0`),
    target: values.target,
    out: resolve(values.out),
    ...(values.component === undefined ? {} : { component: values.component }),
    redactHeaders: values['redact-header'] ?? [],
    redactJsonPaths: values['redact-json'] ?? [],
    fold: values['no-fold'] !== true,
    maxExchanges:
      values['max-exchanges'] === undefined
        ? DEFAULT_MAX_EXCHANGES
        : parseInteger('--max-exchanges', values['max-exchanges'], 1, 1_000_000),
    ...(values.duration === undefined ? {} : { durationMs: parseDurationMs('--duration', values.duration) }),
    overwrite: values.overwrite === true,
    quiet: values.quiet === true,
  }
}

/** Any HTTP answer means reachable; only a failed connection or no answer in time does not. */
async function probe(target: string): Promise<string | undefined> {
  try {
    const res = await request(target, {
      method: 'HEAD',
      headersTimeout: PROBE_MS,
      bodyTimeout: PROBE_MS,
      signal: AbortSignal.timeout(PROBE_MS),
    })
    await res.body.dump()
    return undefined
  } catch (e) {
    const code = (e as { code?: string }).code
    return `${code ?? ''} ${e instanceof Error ? e.message : String(e)}`.trim()
  }
}

type StopReason = 'interrupted' | 'max-exchanges' | 'duration'

/** Resolves with why the recording stops; every listener and timer it sets is removed by `dispose`. */
function stopTrigger(flags: RecordFlags, io: RecordIo) {
  let fire: (reason: StopReason) => void = () => {}
  const stopped = new Promise<StopReason>((r) => {
    fire = r
  })
  const onSignal = () => fire('interrupted')
  const onAbort = () => fire('interrupted')
  const handleSignals = io.handleSignals !== false
  if (handleSignals) {
    // once: a second Ctrl-C during the drain quits at once (the log keeps what was answered).
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
  }
  if (io.signal?.aborted === true) fire('interrupted')
  io.signal?.addEventListener('abort', onAbort, { once: true })
  const timer = flags.durationMs === undefined ? undefined : setTimeout(() => fire('duration'), flags.durationMs)
  return {
    stopped,
    fire,
    dispose() {
      if (handleSignals) {
        process.removeListener('SIGINT', onSignal)
        process.removeListener('SIGTERM', onSignal)
      }
      io.signal?.removeEventListener('abort', onAbort)
      if (timer !== undefined) clearTimeout(timer)
    },
  }
}

function exchangeLine(e: LoggedExchange): string {
  const over = e.truncated === undefined ? '' : '  (body over the cap: logged, not in the corpus)'
  return `${e.method} ${e.target} → ${e.status} ${Math.round(e.durationMs)} ms${over}\n`
}

function sizeText(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${bytes} bytes`
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

export async function recordMain(argv: readonly string[], io: RecordIo = {}): Promise<number> {
  const out = io.stdout ?? process.stdout
  const err = io.stderr ?? process.stderr
  const fail = (message: string) => {
    err.write(`parity record: ${message}\n`)
    return 2
  }

  let flags: RecordFlags
  try {
    const parsed = parseFlags(argv)
    if (parsed === 'help') {
      out.write(`${RECORD_USAGE}\n`)
      return 0
    }
    flags = parsed
  } catch (e) {
    const message = isProblem(e) ? e.detail : e instanceof Error ? e.message : String(e)
    return fail(`${message}\n\n${RECORD_USAGE}`)
  }

  const cwd = process.cwd()
  if (flags.fromLog !== undefined) {
    if (!existsSync(flags.fromLog)) return fail(`--from-log ${displayPath(cwd, flags.fromLog)} does not exist`)
    const { entries, malformed } = readExchangeLog(flags.fromLog)
    out.write(
      `log: ${displayPath(cwd, flags.fromLog)} — ${plural(entries.length, 'exchange')}${malformed > 0 ? `, ${malformed} unreadable lines` : ''}\n`,
    )
    return writeCorpusOf(entries, flags, io, flags.fromLog, fail)
  }
  const logPath = join(flags.out, EXCHANGE_LOG_NAME)
  const corpusFile = join(flags.out, flags.component ?? 'recorded', RECORDED_FILE)
  // Refused now rather than after the session: the corpus writer would refuse at the end.
  for (const existing of [logPath, corpusFile]) {
    if (existsSync(existing) && !flags.overwrite) {
      return fail(`${displayPath(cwd, existing)} exists: pass --overwrite to replace the earlier recording, or choose another --out`)
    }
  }
  const unreachable = await probe(flags.target)
  if (unreachable !== undefined) return fail(`target ${flags.target} does not answer: ${unreachable}`)

  let log: ReturnType<typeof openExchangeLog>
  try {
    mkdirSync(flags.out, { recursive: true })
    log = openExchangeLog(logPath, true)
  } catch (e) {
    return fail(`cannot write ${displayPath(cwd, logPath)}: ${(e as { code?: string }).code ?? String(e)}`)
  }

  const trigger = stopTrigger(flags, io)
  const started = performance.now()
  let proxy: Awaited<ReturnType<typeof startRecordProxy>>
  try {
    proxy = await startRecordProxy({
      host: RECORD_LISTEN_HOST,
      port: flags.port,
      target: flags.target,
      maxBodyBytes: io.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      maxExchanges: flags.maxExchanges,
      onExchange(entry) {
        log.append(entry)
        if (!flags.quiet) err.write(exchangeLine(entry))
      },
      onTargetError(method, target, message) {
        err.write(`${method} ${target} → 502 (target failed: ${message})\n`)
      },
      onRecordError(e) {
        err.write(`parity record: an exchange could not be logged: ${e instanceof Error ? e.message : String(e)}\n`)
      },
      onLimit: () => trigger.fire('max-exchanges'),
    })
  } catch (e) {
    trigger.dispose()
    log.close()
    if (e instanceof RecordProxyError) return fail(e.message)
    throw e
  }

  out.write(`recording ${flags.target} on ${proxy.url} → ${displayPath(cwd, flags.out)}  (Ctrl-C to stop)\n`)
  io.onListening?.(proxy.url)
  const reason = await trigger.stopped
  trigger.dispose()
  proxy.stopAccepting()
  const inFlight = proxy.stats().inFlight
  if (inFlight > 0) err.write(`stopping (${reason}): waiting for ${plural(inFlight, 'exchange')} in flight\n`)
  const cut = await proxy.drain(DRAIN_MS)
  await proxy.close()
  log.close()
  const stats = proxy.stats()
  const seconds = ((performance.now() - started) / 1000).toFixed(1)

  const { entries, malformed } = readExchangeLog(logPath)
  const truncated = entries.filter((e) => e.truncated !== undefined).length
  const notes = [
    truncated > 0 ? `${truncated} with a body over ${sizeText(io.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)} left out of the corpus` : '',
    stats.targetErrors > 0 ? `${plural(stats.targetErrors, 'target error')} (502, not recorded)` : '',
    stats.aborted + cut > 0 ? `${stats.aborted + cut} abandoned or cut at the stop (not recorded)` : '',
    stats.refused > 0 ? `${stats.refused} refused after the stop` : '',
    malformed > 0 ? `${malformed} unreadable log lines` : '',
  ].filter((s) => s !== '')
  out.write(
    `recorded ${plural(entries.length, 'exchange')} in ${seconds} s (stopped: ${reason})${notes.length > 0 ? `; ${notes.join('; ')}` : ''}\n`,
  )
  out.write(`log: ${displayPath(cwd, logPath)}\n`)
  return writeCorpusOf(entries, flags, io, logPath, fail)
}

/** The corpus from logged exchanges (a session just recorded, or `--from-log`), and what to run next. */
function writeCorpusOf(
  entries: readonly LoggedExchange[],
  flags: RecordFlags,
  io: RecordIo,
  logPath: string,
  fail: (message: string) => number,
): number {
  const out = io.stdout ?? process.stdout
  const cwd = process.cwd()
  const { exchanges } = corpusExchanges(entries)
  if (exchanges.length === 0) {
    out.write('no corpus written: nothing to replay\n')
    return 0
  }

  const writeCorpus = io.writeCorpus ?? writeRecordedCorpus
  let corpus: RecordedCorpus
  try {
    corpus = writeCorpus(exchanges, {
      outDir: flags.out,
      ...(flags.component === undefined ? {} : { component: flags.component }),
      redactHeaders: flags.redactHeaders,
      redactJsonPaths: flags.redactJsonPaths,
      fold: flags.fold,
      overwrite: flags.overwrite,
      source:
        flags.fromLog === undefined
          ? `pnpm parity record --target ${flags.target}`
          : `pnpm parity record --from-log ${displayPath(cwd, flags.fromLog)}`,
    })
  } catch (e) {
    // CorpusWriteError, or the file system refusing: one line either way, and the log stays.
    const message = e instanceof Error ? e.message : String(e)
    return fail(`${message} (the exchanges are kept in ${displayPath(cwd, logPath)})`)
  }
  out.write(
    `corpus: ${displayPath(cwd, corpus.file)} — ${plural(corpus.cases, 'case')}, ${plural(corpus.steps, 'step')}, ${corpus.folded} folded, ` +
      `${plural(corpus.captures, 'capture')}, ${plural(corpus.redactions, 'redaction')}` +
      `${corpus.skipped.length > 0 ? `, ${corpus.skipped.length} exchanges skipped (${corpus.skipped[0]?.reason}${corpus.skipped.length > 1 ? ', …' : ''})` : ''}\n`,
  )
  out.write(`replay: pnpm parity --a ${flags.target === '' ? 'URL' : flags.target} --b URL --case-dir ${displayPath(cwd, flags.out)}\n`)
  return 0
}
