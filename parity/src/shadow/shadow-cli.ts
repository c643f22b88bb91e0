/**
 * `pnpm parity shadow`: flags → a shadow session, run until Ctrl-C, SIGTERM, `--max-requests`
 * or `--duration`, then the final reports, the terminal summary and the mirror counters.
 */

import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { colorEnabled, isProblem, parseBytes, parseDurationMs, parseInteger } from '@lakehouse/kit'
import { findRepoRoot } from '@lakehouse/launch'
import { contractFromFlags } from '../contract/contract-flags.ts'
import { displayPath } from '../display-path.ts'
import { EMPTY_RULES, FAIL_ON, type FailOn } from '../model.ts'
import { NO_TRACKER } from '../report/format.ts'
import { renderTerminalSummary } from '../report/index.ts'
import { parseHeaderFlag } from '../targets/header-flag.ts'
import { httpUrl } from '../targets/http-url.ts'
import { gitCommit } from '../targets/target-flags.ts'
import { parseTracker, TrackerFormatError, type TrackerRow } from '../tracker/index.ts'
import { probeTarget } from './probe.ts'
import { countersText } from './shadow-counters.ts'
import { LIVE_PATH, type ShadowOptions, startShadowSession } from './shadow-session.ts'

export const SHADOW_USAGE = `pnpm parity shadow --listen 127.0.0.1:P --primary URL --candidate URL [options]

Answers live clients from the primary only, mirrors each request to the candidate (and the
secondary), compares the answers like pnpm parity and rewrites the reports every few seconds.

  --listen ADDR            127.0.0.1:PORT or PORT (loopback only; 0 picks a free port)
  --primary URL            the service clients are answered from (the baseline)
  --candidate URL          the service compared with it
  --secondary URL          a second instance of the primary: what differs between the two is noise
  --mirror-writes          mirror POST, PUT, PATCH, DELETE too (default: GET, HEAD, OPTIONS only)
  --header-primary H       'Name: value' for requests to the primary (repeatable; 'Name:' removes it)
  --header-candidate H     the same for the candidate
  --header-secondary H     the same for the secondary
  --token T                Authorization: Bearer T to every target (the --header-… flags win)
  --queue N                mirrors held per target, waiting and in flight (default 256); more are dropped
  --concurrency N          mirrors in flight per target (default 4)
  --timeout DUR            whole-exchange limit for each mirror request (default 10s)
  --copy-limit SIZE        request and response bytes kept for mirroring (default 1MiB)
  --keep N                 compared requests kept whole in the report (default 500; then 2000 without
                           bodies; fewer once the kept ones hold 2000 divergences)
  --ignore PATH            a compare rule: JSONPath or header:<name> not compared (repeatable)
  --contract FILE          check the primary's and the candidate's answers against an OpenAPI
                           3.0/3.1 document (file or URL): contract findings, one target each
  --tracker FILE           a decisions tracker, read only: what its open/accepted rows name is known
  --fail-on RISK           breaking | medium | any (default any)
  --max-requests N         stop after N client requests
  --duration DUR           stop after DUR (e.g. 10m)
  --report-every DUR       rewrite live.html this often (default 5s); the full reports every 6th time at most
  --out DIR                report root (default reports/parity); files go to DIR/<run-id>/

The live page is DIR/<run-id>/live.html, also served by the proxy at ${LIVE_PATH}.
exit codes: 0 parity, 1 new divergence, 2 configuration or target error, or mirrors that never compared`

/** Compared requests kept without bodies after the `--keep` whole ones (case-store.ts). */
const SLIM_CASES = 2_000

export interface ShadowIo {
  readonly signal?: AbortSignal
  readonly stdout?: { write(text: string): unknown; isTTY?: boolean }
  readonly stderr?: { write(text: string): unknown }
}

/** Bad flags: one line, exit 2. */
class ShadowFlagError extends Error {
  override readonly name = 'ShadowFlagError'
}

function listenOf(text: string): { host: string; port: number } {
  const m = /^(?:(127\.0\.0\.1|localhost):)?(\d{1,5})$/.exec(text.trim())
  const port = Number(m?.[2])
  if (m === null || port > 65_535)
    throw new ShadowFlagError(`--listen must be 127.0.0.1:PORT or PORT (the proxy listens on loopback only), got ${JSON.stringify(text)}`)
  return { host: '127.0.0.1', port }
}

function urlOf(flag: string, text: unknown): string {
  if (typeof text !== 'string') throw new ShadowFlagError(`--${flag} URL is required`)
  httpUrl(`--${flag}`, text, (m) => new ShadowFlagError(m))
  return text
}

function headersOf(flag: string, items: unknown, token: string | undefined): Record<string, string> {
  const out: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` }
  for (const item of (items as string[] | undefined) ?? []) {
    const parsed = parseHeaderFlag(item)
    if (parsed === undefined) throw new ShadowFlagError(`--${flag} must be 'Name: value', got ${JSON.stringify(item)}`)
    out[parsed[0]] = parsed[1]
  }
  return out
}

function optionsFrom(values: Record<string, unknown>, root: string): ShadowOptions & { maxRequests?: number; durationMs?: number } {
  if (typeof values.listen !== 'string') throw new ShadowFlagError('--listen 127.0.0.1:PORT is required')
  const token = typeof values.token === 'string' && values.token !== '' ? values.token : undefined
  const failOn = String(values['fail-on'] ?? 'any')
  if (!FAIL_ON.includes(failOn as FailOn)) throw new ShadowFlagError(`--fail-on must be one of ${FAIL_ON.join(', ')}, got ${failOn}`)
  const int = (flag: string, fallback: number, min: number, max: number) =>
    values[flag] === undefined ? fallback : parseInteger(`--${flag}`, String(values[flag]), min, max)
  const secondary = values.secondary === undefined ? undefined : urlOf('secondary', values.secondary)
  const ignore = (values.ignore as string[] | undefined) ?? []
  const commit = gitCommit(root)
  const tracker = typeof values.tracker === 'string' ? readTracker(values.tracker) : undefined
  const maxRequests = values['max-requests'] === undefined ? undefined : int('max-requests', 0, 1, Number.MAX_SAFE_INTEGER)
  const durationMs = values.duration === undefined ? undefined : parseDurationMs('--duration', String(values.duration))
  return {
    ...listenOf(values.listen),
    primary: urlOf('primary', values.primary),
    candidate: urlOf('candidate', values.candidate),
    ...(secondary === undefined ? {} : { secondary }),
    headers: {
      primary: headersOf('header-primary', values['header-primary'], token),
      candidate: headersOf('header-candidate', values['header-candidate'], token),
      secondary: headersOf('header-secondary', values['header-secondary'], token),
    },
    mirrorWrites: values['mirror-writes'] === true,
    queue: int('queue', 256, 1, 100_000),
    concurrency: int('concurrency', 4, 1, 256),
    timeoutMs: parseDurationMs('--timeout', String(values.timeout ?? '10s')),
    copyLimit: values['copy-limit'] === undefined ? 1024 * 1024 : parseBytes('--copy-limit', String(values['copy-limit'])),
    fullCases: int('keep', 500, 0, 1_000_000),
    slimCases: SLIM_CASES,
    reportEveryMs: parseDurationMs('--report-every', String(values['report-every'] ?? '5s')),
    outDir: resolve(String(values.out ?? `${root}/reports/parity`)),
    failOn: failOn as FailOn,
    ...(ignore.length === 0 ? {} : { rules: { ...EMPTY_RULES, ignore } }),
    ...(commit === undefined ? {} : { commit }),
    ...(tracker === undefined ? {} : { tracker }),
    ...(maxRequests === undefined ? {} : { maxRequests }),
    ...(durationMs === undefined ? {} : { durationMs }),
  }
}

/** The tracker's rows, for telling known divergences; shadow mode never writes it (no run covers a corpus). */
function readTracker(path: string): { label: string; rows: TrackerRow[] } {
  const label = displayPath(process.cwd(), resolve(path))
  if (!existsSync(path)) throw new ShadowFlagError(`tracker ${label} does not exist: create it with \`pnpm parity tracker init ${label}\``)
  try {
    return { label, rows: parseTracker(readFileSync(path, 'utf8')).rows }
  } catch (e) {
    if (e instanceof TrackerFormatError) throw new ShadowFlagError(e.message.replace(/^decisions tracker:/, `tracker ${label}:`))
    throw e
  }
}

const FLAGS = {
  listen: { type: 'string' },
  primary: { type: 'string' },
  candidate: { type: 'string' },
  secondary: { type: 'string' },
  'mirror-writes': { type: 'boolean' },
  'header-primary': { type: 'string', multiple: true },
  'header-candidate': { type: 'string', multiple: true },
  'header-secondary': { type: 'string', multiple: true },
  token: { type: 'string' },
  queue: { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  'copy-limit': { type: 'string' },
  keep: { type: 'string' },
  ignore: { type: 'string', multiple: true },
  tracker: { type: 'string' },
  contract: { type: 'string' },
  'fail-on': { type: 'string' },
  'max-requests': { type: 'string' },
  duration: { type: 'string' },
  'report-every': { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

/**
 * Runs shadow mode until `io.signal` aborts (the CLI wires SIGINT and SIGTERM to it when none
 * is given), `--max-requests` or `--duration`; returns the exit code.
 */
export async function shadowMain(argv: readonly string[], io: ShadowIo = {}): Promise<number> {
  const out = io.stdout ?? process.stdout
  const err = io.stderr ?? process.stderr
  let options: ReturnType<typeof optionsFrom>
  try {
    const root = findRepoRoot()
    const { values } = parseArgs({ args: [...argv], strict: true, allowPositionals: false, options: FLAGS })
    if (values.help === true) {
      out.write(`${SHADOW_USAGE}\n`)
      return 0
    }
    const contract = await contractFromFlags(typeof values.contract === 'string' ? values.contract : undefined)
    options = { ...optionsFrom(values, root), ...(contract === undefined ? {} : { contract }) }
  } catch (e) {
    const message = isProblem(e) ? e.detail : e instanceof Error ? e.message : String(e)
    err.write(`parity shadow: ${message}\n`)
    return 2
  }

  // Every target must answer HTTP before clients are let in: a typo'd port is a config error, not a run of mirror errors.
  for (const [name, url] of [
    ['primary', options.primary],
    ['candidate', options.candidate],
    ...(options.secondary === undefined ? [] : [['secondary', options.secondary]]),
  ] as const) {
    const problem = await probeTarget(url, Math.min(options.timeoutMs, 5_000))
    if (problem !== undefined) {
      err.write(`parity shadow: ${name} ${url} does not answer: ${problem}\n`)
      return 2
    }
  }

  const stopped = new AbortController()
  const stop = (why: string) => {
    if (!stopped.signal.aborted) stopped.abort(new Error(why))
  }
  const { maxRequests, durationMs } = options
  let session: Awaited<ReturnType<typeof startShadowSession>>
  try {
    session = await startShadowSession({
      ...options,
      ...(maxRequests === undefined
        ? {}
        : { onAnswered: (n: number) => n >= maxRequests && stop(`--max-requests ${maxRequests} reached`) }),
    })
  } catch (e) {
    err.write(`parity shadow: cannot listen on ${options.host}:${options.port}: ${e instanceof Error ? e.message : String(e)}\n`)
    return 2
  }

  const onSignal = () => stop('interrupted')
  const ownSignals = io.signal === undefined
  if (ownSignals) {
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
  } else if (io.signal?.aborted) stop('aborted')
  else io.signal?.addEventListener('abort', onSignal, { once: true })
  const timer = durationMs === undefined ? undefined : setTimeout(() => stop(`--duration reached`), durationMs)

  const reportDir = displayPath(process.cwd(), session.reportDir)
  err.write(
    `parity shadow: listening on ${session.url} → primary ${options.primary}; mirroring ${options.mirrorWrites ? 'every request' : 'GET, HEAD, OPTIONS'} to candidate ${options.candidate}${options.secondary === undefined ? '' : ` and secondary ${options.secondary}`}\n` +
      `parity shadow: live page ${reportDir}/live.html (and ${session.url}${LIVE_PATH}); Ctrl-C to stop\n`,
  )
  if (!stopped.signal.aborted) await new Promise((resolve) => stopped.signal.addEventListener('abort', resolve, { once: true }))
  clearTimeout(timer)
  if (ownSignals) {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  } else io.signal?.removeEventListener('abort', onSignal)
  err.write(`parity shadow: stopping (${(stopped.signal.reason as Error).message}) — waiting for mirrors in flight\n`)

  const result = await session.stop()
  out.write(
    renderTerminalSummary(result.report, {
      color: colorEnabled(out, process.env),
      reportDir,
      tracker: options.tracker?.label ?? NO_TRACKER,
    }),
  )
  out.write(countersText(result.counters))
  const reported = result.report.summary.cases
  // The findings' counts cover the kept requests only: say so where the numbers are read.
  if (reported < result.counters.compared)
    out.write(
      `report: findings and counts cover the first ${reported} of ${result.counters.compared} compared requests (--keep, divergence budget); the exit code covers all\n`,
    )
  if (result.exitCode === 2 && result.report.exitCode !== 2)
    err.write('parity shadow: requests were mirrored but none could be compared (see the mirror errors)\n')
  return result.exitCode
}
