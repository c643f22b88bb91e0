import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { type JournalRecord, openJournal, scanStoreRaw } from '@lakehouse/journal'
import { parseInteger } from '@lakehouse/kit'
import type { AppRuntime } from '@lakehouse/launch'
import { createBunFileLock } from '@lakehouse/lock-bun'
import { paint } from '../color.ts'
import { journalWriterCommand } from '../runtimes.ts'
import { type SpawnedWriter, spawnWriter } from '../writer-spawn.ts'
import { type CollideReport, checkCollision } from './collide-check.ts'

export const COLLIDE_HELP = `lakehouse doctor collide --writers N --appends M [--runtime node|bun|mixed] [--record-bytes B]
                        [--concurrency C] [--segment-max-bytes S] [--data-dir D] [--json]

Proves the journal under contention: N writer processes (Node, Bun, or alternating) each
append M records to one store, released together by a start file; then the store is replayed
and checked: every (writer, i) exactly once, every acknowledged seq present, seqs rising in
file order with no gap a journal note does not explain, nothing torn or corrupt, and the
writers' records interleaved (they really ran at once). Uses a temp store unless --data-dir
names the store directory to write (then kept; a temp store is kept when the check fails).
--dir is the old name of --data-dir (deprecated, still accepted). Exit 0 when nothing was lost, duplicated or corrupt, 1 otherwise.`

const RUNTIME_CHOICES = ['node', 'bun', 'mixed'] as const
type RuntimeChoice = (typeof RUNTIME_CHOICES)[number]
const READY_TIMEOUT_MS = 30_000
const RUN_TIMEOUT_MS = 120_000

function parse(args: readonly string[]) {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      writers: { type: 'string' },
      appends: { type: 'string' },
      runtime: { type: 'string' },
      'record-bytes': { type: 'string' },
      concurrency: { type: 'string' },
      'segment-max-bytes': { type: 'string' },
      'data-dir': { type: 'string' },
      dir: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.dir !== undefined && values['data-dir'] !== undefined) throw new Error('--dir is the old name of --data-dir: give one of them')
  if (values.dir !== undefined) process.stderr.write('lakehouse doctor collide: --dir is deprecated; use --data-dir\n')
  const dir = values['data-dir'] ?? values.dir
  const runtime = values.runtime ?? 'mixed'
  if (!(RUNTIME_CHOICES as readonly string[]).includes(runtime)) throw new Error(`--runtime must be one of ${RUNTIME_CHOICES.join(', ')}`)
  return {
    help: values.help === true,
    writers: parseInteger('--writers', values.writers ?? '4', 1, 256),
    appends: parseInteger('--appends', values.appends ?? '500', 1, 10_000_000),
    runtime: runtime as RuntimeChoice,
    recordBytes: parseInteger('--record-bytes', values['record-bytes'] ?? '128', 1, 1024 * 1024),
    concurrency: parseInteger('--concurrency', values.concurrency ?? '1', 1, 1024),
    segmentMaxBytes:
      values['segment-max-bytes'] === undefined ? undefined : parseInteger('--segment-max-bytes', values['segment-max-bytes'], 1, 2 ** 40),
    dir: dir === undefined || dir === '' ? undefined : resolve(dir),
    json: values.json === true,
  }
}

const runtimeOf = (choice: RuntimeChoice, k: number): AppRuntime => (choice === 'mixed' ? (k % 2 === 0 ? 'node' : 'bun') : choice)

function exitText(e: { code: number | null; signal: NodeJS.Signals | null }): string {
  return e.signal !== null ? `signal ${e.signal}` : `exit ${e.code}`
}

/** Spawns the writers, waits until all are ready, releases them at once, and waits (bounded) for all to exit. */
async function runWriters(opts: ReturnType<typeof parse>, store: string, scratch: string) {
  const commands = new Map<AppRuntime, string[]>()
  for (let k = 0; k < opts.writers; k++) {
    const rt = runtimeOf(opts.runtime, k)
    if (!commands.has(rt)) commands.set(rt, await journalWriterCommand(rt))
  }
  const startFile = join(scratch, 'start')
  const args = ['--dir', store, '--appends', String(opts.appends), '--record-bytes', String(opts.recordBytes)]
  args.push('--concurrency', String(opts.concurrency), '--start-file', startFile)
  if (opts.segmentMaxBytes !== undefined) args.push('--segment-max-bytes', String(opts.segmentMaxBytes))
  const run = randomBytes(2).toString('hex')
  const writers: SpawnedWriter[] = []
  for (let k = 0; k < opts.writers; k++) {
    const rt = runtimeOf(opts.runtime, k)
    writers.push(spawnWriter(rt, commands.get(rt) as string[], `w${k + 1}-${run}`, args))
  }
  const killAll = () => {
    for (const w of writers) w.kill()
  }
  const deadline = setTimeout(killAll, RUN_TIMEOUT_MS)
  try {
    let readyTimer: ReturnType<typeof setTimeout> | undefined
    const readyTimeout = new Promise<never>((_, reject) => {
      readyTimer = setTimeout(() => reject(new Error(`writers not ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS)
    })
    try {
      await Promise.race([Promise.all(writers.map((w) => w.ready)), readyTimeout])
    } catch (err) {
      killAll()
      await Promise.all(writers.map((w) => w.exited))
      throw err
    } finally {
      clearTimeout(readyTimer)
    }
    const released = performance.now()
    await writeFile(startFile, '')
    let lastExit = released
    const exits = await Promise.all(
      writers.map((w) =>
        w.exited.then((e) => {
          lastExit = Math.max(lastExit, performance.now())
          return e
        }),
      ),
    )
    return { writers, exits, wallMs: lastExit - released }
  } finally {
    clearTimeout(deadline)
  }
}

async function replayStore(store: string): Promise<{ records: JournalRecord[]; corrupt: number; torn: number }> {
  const journal = await openJournal({ dir: store, lock: createBunFileLock() })
  try {
    const records: JournalRecord[] = []
    for await (const r of journal.replay()) records.push(r)
    const s = journal.stats()
    return { records, corrupt: s.corrupt_skipped, torn: s.torn_tails }
  } finally {
    await journal.close()
  }
}

function printReport(r: CollideReport, store: string, opts: ReturnType<typeof parse>, kept: boolean): void {
  const lines = [
    `doctor collide: ${opts.writers} writers (${opts.runtime}) × ${opts.appends} appends, ${opts.recordBytes} B records, concurrency ${opts.concurrency}`,
    `  store            ${store}${kept ? ' (kept)' : ' (removed)'}`,
    `  records          expected ${r.expected}, found ${r.found}, lost ${r.lost}, duplicates ${r.duplicates}`,
    `  acknowledged     ${r.writers.reduce((n, w) => n + w.acked, 0)} acks, ${r.acked_missing} acknowledged but missing`,
    `  interleavings    ${r.interleavings} writer switches in file order${r.interleavings === 0 && r.writers.length > 1 ? ' (the writers did not overlap)' : ''}`,
    `  seq order        ${r.seq_rising ? 'rising in file order' : `${r.seq_order_violations} out-of-order frames`}; unexplained gaps ${r.unexplained_gaps.length === 0 ? 'none' : JSON.stringify(r.unexplained_gaps.slice(0, 5))}`,
    `  journal notes    ${
      Object.keys(r.notes).length === 0
        ? 'none'
        : Object.entries(r.notes)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')
    }`,
    `  integrity        corrupt ${r.corrupt}, torn ${r.torn} (raw unparsable lines ${r.raw_bad_lines})`,
    `  throughput       ${r.wall_ms} ms wall, ${r.appends_per_s} appends/s, ${r.commits ?? '?'} commits (${r.records_per_commit ?? '?'} records/commit)`,
    '  writers:',
    ...r.writers.map(
      (w) =>
        `    ${w.id.padEnd(10)} ${w.runtime.padEnd(4)} pid ${String(w.pid).padEnd(7)} ${w.exit.padEnd(14)} acked ${w.acked}, found ${w.found}, missing ${w.missing}, duplicates ${w.duplicates}, commits ${w.commits ?? '?'}`,
    ),
    r.ok ? paint(process.stdout).green('ok: nothing lost, duplicated or corrupt') : paint(process.stdout).red('FAIL: see above'),
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
}

export async function collideCommand(args: readonly string[]): Promise<number> {
  const opts = parse(args)
  if (opts.help) {
    process.stdout.write(`${COLLIDE_HELP}\n`)
    return 0
  }
  const scratch = await mkdtemp(join(tmpdir(), 'lakehouse-collide-'))
  const store = opts.dir ?? join(scratch, 'store')
  let keep = opts.dir !== undefined
  try {
    const { writers, exits, wallMs } = await runWriters(opts, store, scratch)
    const { records, corrupt, torn } = await replayStore(store)
    const report = checkCollision({
      writers: writers.map((w, k) => {
        const e = exits[k] as (typeof exits)[number]
        return { id: w.id, runtime: w.runtime, pid: w.pid, exit: exitText(e), acks: w.acks, commits: e.stats?.commits }
      }),
      appends: opts.appends,
      records,
      raw: await scanStoreRaw(store),
      corrupt,
      torn,
      wallMs,
    })
    // A failed check keeps the temp store as evidence.
    keep ||= !report.ok
    if (opts.json) process.stdout.write(`${JSON.stringify({ store, kept: keep, options: opts, ...report }, null, 2)}\n`)
    else printReport(report, store, opts, keep)
    for (const [k, e] of exits.entries()) {
      if (e.code !== 0 && e.stderr.trim() !== '') process.stderr.write(`${writers[k]?.id}: ${e.stderr.trim()}\n`)
    }
    return report.ok ? 0 : 1
  } finally {
    // The scratch dir holds the start file, and the store unless --data-dir was given.
    if (!keep || opts.dir !== undefined) await rm(scratch, { recursive: true, force: true })
  }
}
