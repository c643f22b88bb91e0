import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { clientToken, colorEnabled, isProblem, parseDurationMs } from '@lakehouse/kit'
import { findRepoRoot } from '@lakehouse/launch'
import { CaseConfigError } from './cases/case-loader.ts'
import { contractFromFlags } from './contract/contract-flags.ts'
import { displayPath } from './display-path.ts'
import { FAIL_ON, type FailOn } from './model.ts'
import { NO_TRACKER } from './report/format.ts'
import { renderTerminalSummary } from './report/index.ts'
import { type ProgressEvent, RunConfigError, runParity, TrackerMissingError } from './run/runner.ts'
import { shadowMain } from './shadow/shadow-cli.ts'
import { corpusAppArgs } from './targets/corpus-app-args.ts'
import { TargetError } from './targets/launch.ts'
import { gitCommit, secondaryFromFlags, targetsFromFlags, withTargetHeaders } from './targets/target-flags.ts'
import { TrackerFormatError } from './tracker/index.ts'
import { trackerInit, trackerMessage } from './tracker/tracker-cli.ts'
import { harMain } from './traffic/har-cli.ts'
import { recordMain } from './traffic/record-cli.ts'

const USAGE = `pnpm parity [options]
pnpm parity tracker init FILE
pnpm parity record --target URL --out DIR [--listen 127.0.0.1:P] [options]
pnpm parity import-har FILE [--out DIR] [options]
pnpm parity shadow --listen 127.0.0.1:P --primary URL --candidate URL [--secondary URL] [options]

Replays the case corpus against two or more targets and diffs status, headers, body shape
and values. By default boots apps/node and apps/bun on free ports with fresh state.

targets (default: --runtimes node,bun)
  --a URL --b URL          compare two running services (named a and b; the first is the baseline)
  --targets LIST           name=url,name=url,… (or node/bun to boot an app); >2 compares every pair
  --runtimes LIST          apps to boot, in baseline-first order (default node,bun)
  --token T                bearer token sent to URL targets (default $LAKEHOUSE_AUTH_TOKEN); booted
                           apps serve with auth on, with this token or a fresh one per run
  --target-header N=H      'Name: value' sent to target N only, over --token (repeatable; 'Name:'
                           sends none), e.g. --target-header 'b=Authorization: Bearer …'
selection
  --case-dir DIR           corpus directory (default parity/cases)
  --cases GLOB             case ids or file paths matching GLOB (e.g. 'validator.sms.*')
  --tag TAG                only cases with this tag (repeatable)
output
  --out DIR                report root (default reports/parity); files go to DIR/<run-id>/
  --tracker FILE           decisions tracker (default docs/ARCHITECTURE_COMPARISON.md when
                           the targets are the booted apps; none for URL targets)
  --update-docs            rewrite the tracker's generated blocks, open/resolve rows (default
                           when the targets are the booted node/bun apps; else opt-in)
  --no-update-docs         leave the tracker alone
  --fail-on RISK           breaking | medium | any (default any): which risks of divergences no
                           open/accepted tracker row knows fail the run
  --contract FILE          check every answer of every target against an OpenAPI 3.0/3.1
                           document (JSON or YAML file, or an http(s) URL): contract findings,
                           one target each, also where the targets agree
  --no-noise               skip the second baseline run that detects noisy paths
  --secondary URL          a second running instance of the baseline: every case also runs there,
                           and paths differing between the two instances are noise (replaces the
                           replay on the baseline itself)
  --secondary-boot         the same with a second booted instance of the baseline's runtime
  --timeout DUR            per-request header/body timeout (default 10s)
  --quiet                  no per-case progress lines

tracker init FILE          write an empty decisions tracker (every marker, the workflow header)
record                     a recording reverse proxy: real traffic → a case corpus (--help)
import-har FILE            a HAR 1.2 file (browser devtools export) → a case corpus (--help)
shadow                     answer clients from the primary, mirror to candidate (and secondary),
                           report findings live (--help)

Rows the tool opens in the tracker have status new: their divergences still fail the run
until a person sets the row to open or accepted (known) in the tracker.

exit codes: 0 parity (or only known divergences, or none at the --fail-on risk), 1 new
divergence, 2 configuration or target error`

function tokenOption(flag: unknown): { token?: string } {
  const token = clientToken(typeof flag === 'string' ? flag : undefined, process.env)
  return token === undefined ? {} : { token }
}

function progressPrinter(quiet: boolean): (e: ProgressEvent) => void {
  const err = process.stderr
  return (e) => {
    if (e.type === 'targets') {
      for (const t of e.targets) {
        const role = t.secondary === true ? ' — second baseline instance, for noise only' : ''
        err.write(`target ${t.name}: ${t.url}${t.runtime === undefined ? '' : ` (${t.runtime})`}${role}\n`)
      }
      return
    }
    if (quiet) return
    const r = e.result
    const width = String(e.total).length
    const lat = Object.entries(r.latencyMs)
      .map(([n, ms]) => `${n} ${ms.toFixed(1)}ms`)
      .join('  ')
    const line = `[${String(e.index + 1).padStart(width)}/${e.total}] ${r.outcome.padEnd(9)} ${r.id}  ${lat}${r.error === undefined ? '' : `  ! ${r.error}`}`
    err.write(`${line}\n`)
  }
}

/** Subcommands with their own flags (and, for the proxies, their own signal handling). */
const SUBCOMMANDS: Readonly<Record<string, (argv: readonly string[]) => Promise<number>>> = {
  record: (argv) => recordMain(argv),
  'import-har': (argv) => harMain(argv),
  shadow: (argv) => shadowMain(argv),
}

async function main(argv: readonly string[]): Promise<number> {
  const sub = argv[0] !== undefined && Object.hasOwn(SUBCOMMANDS, argv[0]) ? SUBCOMMANDS[argv[0]] : undefined
  if (sub !== undefined) return sub(argv.slice(1))
  if (argv[0] === 'tracker') {
    const r = trackerInit(argv.slice(1))
    ;(r.code === 0 ? process.stdout : process.stderr).write(r.out)
    return r.code
  }
  const root = findRepoRoot()
  let values: Record<string, unknown>
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        a: { type: 'string' },
        b: { type: 'string' },
        targets: { type: 'string' },
        runtimes: { type: 'string' },
        token: { type: 'string' },
        'case-dir': { type: 'string' },
        cases: { type: 'string' },
        tag: { type: 'string', multiple: true },
        tags: { type: 'string', multiple: true }, // accepted spelling of --tag (undocumented)
        out: { type: 'string' },
        tracker: { type: 'string' },
        'update-docs': { type: 'boolean' },
        'no-update-docs': { type: 'boolean' },
        'no-noise': { type: 'boolean' },
        secondary: { type: 'string' },
        'secondary-boot': { type: 'boolean' },
        'fail-on': { type: 'string' },
        contract: { type: 'string' },
        'target-header': { type: 'string', multiple: true },
        timeout: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (e) {
    process.stderr.write(`parity: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}\n`)
    return 2
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }

  const abort = new AbortController()
  let interrupted = 0
  process.on('SIGINT', () => {
    if (++interrupted > 1) process.exit(130)
    process.stderr.write('\nparity: interrupted — stopping targets (Ctrl-C again to quit at once)\n')
    abort.abort(new TargetError('interrupted'))
  })

  let shownTracker = NO_TRACKER
  try {
    const timeout = parseDurationMs('--timeout', String(values.timeout ?? '10s'))
    const out = resolve(String(values.out ?? join(root, 'reports/parity')))
    const targets = withTargetHeaders(targetsFromFlags(values), (values['target-header'] as string[] | undefined) ?? [])
    const secondary = secondaryFromFlags(values, targets)
    const commit = gitCommit(root)
    // The tracker records node vs bun: runs of the booted apps read it and keep it current by
    // default; runs against other services read a tracker only when given one, and touch it
    // only when asked — Lakehouse's decisions say nothing about someone else's service.
    const bootedOnly = targets.every((t) => 'runtime' in t)
    const trackerPath =
      typeof values.tracker === 'string' ? resolve(values.tracker) : bootedOnly ? join(root, 'docs/ARCHITECTURE_COMPARISON.md') : undefined
    if (trackerPath !== undefined) shownTracker = displayPath(process.cwd(), trackerPath)
    const updateDocs = values['no-update-docs'] !== true && (values['update-docs'] === true || bootedOnly)
    const failOn = String(values['fail-on'] ?? 'any')
    if (!FAIL_ON.includes(failOn as FailOn)) {
      process.stderr.write(`parity: --fail-on must be one of ${FAIL_ON.join(', ')}, got ${failOn}\n`)
      return 2
    }
    const contract = await contractFromFlags(typeof values.contract === 'string' ? values.contract : undefined)
    const result = await runParity({
      targets,
      selection: {
        caseDir: resolve(String(values['case-dir'] ?? join(root, 'parity/cases'))),
        root,
        ...(typeof values.cases === 'string' ? { cases: values.cases } : {}),
        tags: [...((values.tag as string[] | undefined) ?? []), ...((values.tags as string[] | undefined) ?? [])],
      },
      outDir: out,
      ...(trackerPath === undefined ? {} : { trackerPath }),
      updateDocs,
      failOn: failOn as FailOn,
      noise: values['no-noise'] !== true,
      ...(contract === undefined ? {} : { contract }),
      ...(secondary === undefined ? {} : { secondary }),
      timeouts: { connectMs: Math.min(timeout, 5_000), headersMs: timeout, bodyMs: timeout },
      appArgs: corpusAppArgs(root),
      ...tokenOption(values.token),
      onProgress: progressPrinter(values.quiet === true),
      signal: abort.signal,
      ...(commit === undefined ? {} : { commit }),
    })
    process.stdout.write(
      renderTerminalSummary(result.report, {
        color: colorEnabled(process.stdout, process.env),
        reportDir: displayPath(process.cwd(), result.reportDir),
        tracker: shownTracker,
      }),
    )
    if (result.tracker !== undefined) process.stdout.write(trackerMessage(result.tracker, shownTracker))
    return result.report.exitCode
  } catch (e) {
    if (e instanceof TrackerFormatError) {
      // Names the file: the message itself only knows "decisions tracker".
      process.stderr.write(`parity: ${e.message.replace(/^decisions tracker:/, `tracker ${shownTracker}:`)}\n`)
      return 2
    }
    if (e instanceof CaseConfigError || e instanceof TargetError || e instanceof TrackerMissingError || e instanceof RunConfigError) {
      process.stderr.write(`parity: ${e.message}\n`)
      return 2
    }
    if (isProblem(e)) {
      process.stderr.write(`parity: ${e.detail}\n`)
      return 2
    }
    process.stderr.write(`parity: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
    return 2
  }
}

process.exitCode = await main(process.argv.slice(2))
