import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { clientToken, colorEnabled, parseDurationMs } from '@lakehouse/kit'
import { displayPath, findRepoRoot, gitCommit, TargetError, targetsFromFlags } from '@lakehouse/parity'
import { compareRuns, LoadCompareError, mergeRuns } from './compare/index.ts'
import { loadCorpusMix } from './mix/corpus-source.ts'
import { loadMix, MixConfigError } from './mix/mix-loader.ts'
import type { LoadModel, LoadReport, Mix } from './model.ts'
import { PROFILES } from './profiles.ts'
import { renderTerminalSummary, writeReportFiles } from './report/index.ts'
import { runLoad } from './run/runner.ts'
import type { LoadTargetSpec } from './targets/load-targets.ts'

const USAGE = `pnpm load [options]                 run a mix against the targets and report them side by side
pnpm load compare OLD.json NEW.json  compare two runs (report.json files)
pnpm load merge A.json B.json …      merge shards of one mix run on several machines

By default boots apps/node and apps/bun (fresh data directories seeded from a prepared
staffing corpus, built once and kept under reports/load/cache/) and runs load/mixes/staffing.yaml.

targets (default: --runtimes node,bun)
  --a URL --b URL          two running services (the first is the baseline)
  --targets LIST           name=url,name=url,… (or node/bun to boot an app)
  --runtimes LIST          apps to boot, baseline first (default node,bun)
  --pid NAME=PID           read RSS/CPU of an external target from /proc (repeatable)
  --token T                bearer token sent to URL targets (default $LAKEHOUSE_AUTH_TOKEN); booted
                           apps serve with auth on, with this token or a fresh one per run
shape
  --mix FILE               mix file (default load/mixes/staffing.yaml)
  --corpus DIR             replay a parity case corpus (e.g. one \`pnpm parity record\` wrote) as the
                           mix: one scenario per case, weighted by its recorded frequency
  --corpus-writes          with --corpus: include cases that POST, PUT, PATCH or DELETE (default: left out)
  --profile NAME           quick (default: 20k workers, tiers 10,50, 4 rounds × 10s) or
                           full (100k workers, tier 50, 5 rounds × 60s: the seed's 5 minutes)
  --tiers LIST             concurrency tiers (connections), e.g. 10,50,100
  --rounds N               rounds per tier; targets are interleaved A B A B within each
  --duration DUR           measured time per target per round (e.g. 10s, 1m)
  --warmup DUR             unmeasured warm-up per target before the first tier (0 to skip)
  --rate N                 open model: N scenario starts per second per window (latency from the
                           intended start; starts finding no free connection are counted as dropped)
  --timeout DUR            per-request timeout (default 10s; at least 1s, autocannon's floor)
  --seed S                 seed for scenario picks and pool values (default lakehouse)
  --rows N                 corpus size (overrides the profile)
output
  --out DIR                report root (default reports/load); files go to DIR/<run-id>/
  --tracker FILE           decisions tracker (default docs/ARCHITECTURE_COMPARISON.md)
  --update-docs            rewrite the tracker's load block (default when the targets are booted apps)
  --no-update-docs         leave the tracker alone
  --no-pin                 do not pin the server and the generator to different cores
  --quiet                  no live progress line

exit codes: 0 every threshold passed, 1 a threshold failed, 2 configuration or target error`

function positiveInt(flag: string, text: string): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1) throw new TargetError(`${flag}: ${JSON.stringify(text)} is not a positive integer`)
  return n
}

function targetsFrom(values: Record<string, unknown>): LoadTargetSpec[] {
  const pids = new Map<string, number>()
  for (const p of (values.pid as string[] | undefined) ?? []) {
    const m = /^([A-Za-z0-9_.-]+)=(\d+)$/.exec(p)
    if (m?.[1] === undefined) throw new TargetError(`--pid: ${JSON.stringify(p)} is not NAME=PID`)
    pids.set(m[1], Number(m[2]))
  }
  // One target is a valid load run (it is measured alone); comparisons need two.
  const specs: LoadTargetSpec[] = targetsFromFlags(values, 1)
  for (const name of pids.keys())
    if (!specs.some((s) => s.name === name && 'url' in s)) throw new TargetError(`--pid ${name}: no URL target has that name`)
  return specs.map((s) => ('url' in s && pids.has(s.name) ? { ...s, pid: pids.get(s.name) as number } : s))
}

function corpusMixFromFlags(dir: string, writes: boolean, root: string): Mix {
  const { mix, summary } = loadCorpusMix(dir, root, { writes })
  process.stderr.write(`load: ${summary}\n`)
  return mix
}

function readReport(path: string): LoadReport {
  let doc: unknown
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    throw new TargetError(`${path}: cannot read a load report: ${e instanceof Error ? e.message : String(e)}`)
  }
  if ((doc as { schema?: unknown } | null)?.schema !== 'lakehouse.load.report/v1')
    throw new TargetError(`${path}: not a load report (schema lakehouse.load.report/v1)`)
  return doc as LoadReport
}

async function compareCommand(args: string[]): Promise<number> {
  if (args.length !== 2) throw new TargetError('compare takes two report.json files: pnpm load compare OLD.json NEW.json')
  const [a, b] = args.map((p) => readReport(resolve(p)))
  const result = compareRuns(a as LoadReport, b as LoadReport)
  process.stdout.write(result.markdown.endsWith('\n') ? result.markdown : `${result.markdown}\n`)
  return result.regressions > 0 ? 1 : 0
}

async function mergeCommand(args: string[], root: string): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { out: { type: 'string' } } })
  if (positionals.length < 2) throw new TargetError('merge takes two or more report.json files: pnpm load merge A.json B.json [--out DIR]')
  const merged = mergeRuns(positionals.map((p) => readReport(resolve(p))))
  const dir = join(resolve(values.out ?? join(root, 'reports/load')), merged.run_id)
  await writeReportFiles(dir, merged)
  process.stdout.write(
    renderTerminalSummary(merged, { color: colorEnabled(process.stdout, process.env), reportDir: displayPath(process.cwd(), dir) }),
  )
  return merged.exit_code
}

async function runCommand(argv: string[], root: string): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      a: { type: 'string' },
      b: { type: 'string' },
      targets: { type: 'string' },
      runtimes: { type: 'string' },
      pid: { type: 'string', multiple: true },
      token: { type: 'string' },
      mix: { type: 'string' },
      corpus: { type: 'string' },
      'corpus-writes': { type: 'boolean' },
      profile: { type: 'string' },
      tiers: { type: 'string' },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rate: { type: 'string' },
      timeout: { type: 'string' },
      seed: { type: 'string' },
      rows: { type: 'string' },
      out: { type: 'string' },
      tracker: { type: 'string' },
      'update-docs': { type: 'boolean' },
      'no-update-docs': { type: 'boolean' },
      'no-pin': { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  if (values.corpus !== undefined && values.mix !== undefined)
    throw new TargetError('--corpus and --mix are mutually exclusive: a run replays one mix (pass one of them)')
  if (values['corpus-writes'] === true && values.corpus === undefined) throw new TargetError('--corpus-writes needs --corpus DIR')
  const profileName = values.profile ?? 'quick'
  const profile = PROFILES[profileName]
  if (profile === undefined) throw new TargetError(`--profile: ${profileName} is not one of ${Object.keys(PROFILES).join(', ')}`)
  const seconds = (flag: string, text: string | undefined, fallback: number, min: number) => {
    if (text === undefined) return fallback
    const s = parseDurationMs(flag, text) / 1000
    if (s < min) throw new TargetError(`${flag}: must be at least ${min}s`)
    return s
  }
  const tiers = values.tiers === undefined ? profile.tiers : values.tiers.split(',').map((t) => positiveInt('--tiers', t.trim()))
  if (tiers.some((t) => t > 10_000)) throw new TargetError('--tiers: at most 10000 connections per tier')
  const rate = values.rate === undefined ? undefined : positiveInt('--rate', values.rate)
  const model: LoadModel = rate === undefined ? 'closed' : 'open'
  const targets = targetsFrom(values)
  const mix =
    values.corpus === undefined
      ? loadMix(resolve(values.mix ?? join(root, 'load/mixes/staffing.yaml')), root)
      : corpusMixFromFlags(values.corpus, values['corpus-writes'] === true, root)
  const bootedOnly = targets.every((t) => 'runtime' in t)
  const updateDocs = values['no-update-docs'] !== true && (values['update-docs'] === true || bootedOnly)
  const abort = new AbortController()
  let interrupted = 0
  process.on('SIGINT', () => {
    if (++interrupted > 1) process.exit(130)
    process.stderr.write('\nload: interrupted — stopping targets (Ctrl-C again to quit at once)\n')
    abort.abort()
  })
  const commit = gitCommit(root)
  const token = clientToken(values.token, process.env)
  const result = await runLoad({
    root,
    mix,
    targets,
    profile: profileName,
    model,
    tiers,
    rounds: values.rounds === undefined ? profile.rounds : positiveInt('--rounds', values.rounds),
    durationS: seconds('--duration', values.duration, profile.durationS, 1),
    warmupS: seconds('--warmup', values.warmup, profile.warmupS, 0),
    ...(rate === undefined ? {} : { rate }),
    timeoutS: seconds('--timeout', values.timeout, 10, 1),
    seed: values.seed ?? 'lakehouse',
    corpus: { rows: values.rows === undefined ? profile.rows : positiveInt('--rows', values.rows), seed: 'load' },
    cacheDir: join(root, 'reports/load/cache'),
    outDir: resolve(values.out ?? join(root, 'reports/load')),
    trackerPath: resolve(values.tracker ?? join(root, 'docs/ARCHITECTURE_COMPARISON.md')),
    updateDocs,
    pin: values['no-pin'] !== true,
    quiet: values.quiet === true,
    ...(token === undefined ? {} : { token }),
    ...(commit === undefined ? {} : { commit }),
    signal: abort.signal,
    log: (line) => process.stderr.write(`${line}\n`),
  })
  process.stdout.write(
    renderTerminalSummary(result.report, {
      color: colorEnabled(process.stdout, process.env),
      reportDir: displayPath(process.cwd(), result.reportDir),
    }),
  )
  if (result.tracker !== undefined) {
    const where = displayPath(process.cwd(), result.tracker.path)
    process.stdout.write(result.tracker.changed ? `tracker ${where}: load block updated\n` : `tracker ${where} unchanged\n`)
  }
  return result.report.exit_code
}

async function main(argv: string[]): Promise<number> {
  const root = findRepoRoot()
  try {
    if (argv[0] === 'compare') return await compareCommand(argv.slice(1))
    if (argv[0] === 'merge') return await mergeCommand(argv.slice(1), root)
    return await runCommand(argv[0] === 'run' ? argv.slice(1) : argv, root)
  } catch (e) {
    if (e instanceof MixConfigError || e instanceof TargetError || e instanceof LoadCompareError) {
      process.stderr.write(`load: ${e.message}\n`)
      return 2
    }
    if (e instanceof Error && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true) {
      process.stderr.write(`load: ${e.message}\n\n${USAGE}\n`)
      return 2
    }
    process.stderr.write(`load: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
    return 2
  }
}

process.exitCode = await main(process.argv.slice(2))
