import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { type FileLock, type Journal, openJournal } from '@lakehouse/journal'

/**
 * One benchmark process, started through journal-worker-node.ts (bundled for Node) or
 * journal-worker-bun.ts, which only inject their runtime's flock. Prints
 * one JSON line of measurements. Modes:
 *   journal-writer  --dir D --appends N [--concurrency C] [--start-file F]  (B1 and B2)
 *   sqlite-writer   --dir D --appends N [--start-file F]                    (the anchor; Node only)
 *   journal-replay  --dir D --mib M                                         (B3)
 */
export async function runJournalWorker(lock: FileLock): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      mode: { type: 'string' },
      dir: { type: 'string' },
      appends: { type: 'string' },
      concurrency: { type: 'string' },
      'start-file': { type: 'string' },
      'record-bytes': { type: 'string' },
      mib: { type: 'string' },
    },
  })
  const dir = values.dir ?? ''
  const appends = Number(values.appends ?? 2000)
  const recordBytes = Number(values['record-bytes'] ?? 1024)
  // `data.pad` brings the framed record to about recordBytes (the frame and fields take ~150 bytes).
  const pad = 'x'.repeat(Math.max(0, recordBytes - 150))

  async function waitForStart(): Promise<void> {
    const file = values['start-file']
    if (file === undefined) return
    const deadline = Date.now() + 30_000
    while (!existsSync(file)) {
      if (Date.now() > deadline) throw new Error(`start file ${file} never appeared`)
      await sleep(1)
    }
  }

  const ms = (from: number) => performance.now() - from

  async function journalWriter(): Promise<Record<string, unknown>> {
    const lockWaits: number[] = []
    const commits: number[] = []
    const journal = await openJournal({
      dir,
      lock,
      lockTimeoutMs: 60_000,
      observe: (c) => {
        lockWaits.push(c.lockWaitMs)
        commits.push(c.records)
      },
    })
    await waitForStart()
    const latencies: number[] = []
    const started = performance.now()
    let next = 0
    const lane = async () => {
      while (next < appends) {
        const i = next++
        const t = performance.now()
        await journal.append('bench.record', { i, pid: process.pid, pad })
        latencies.push(ms(t))
      }
    }
    await Promise.all(Array.from({ length: Number(values.concurrency ?? 1) }, lane))
    const wallMs = ms(started)
    await journal.close()
    return {
      appends,
      wall_ms: wallMs,
      started_at: performance.timeOrigin + started,
      latencies,
      lock_waits: lockWaits,
      commits: commits.length,
    }
  }

  interface SqliteDb {
    pragma(text: string): unknown
    prepare(sql: string): { run(...args: unknown[]): unknown }
    exec(sql: string): void
    close(): void
  }

  async function sqliteWriter(): Promise<Record<string, unknown>> {
    // better-sqlite3 loads on Node only (docs/runtime-facts.md); this mode is never run on Bun.
    const Database = createRequire(import.meta.url)('better-sqlite3') as new (path: string) => SqliteDb
    const db = new Database(`${dir}/anchor.db`)
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.pragma('busy_timeout = 60000')
    db.exec('CREATE TABLE IF NOT EXISTS records (id INTEGER PRIMARY KEY, body TEXT NOT NULL)')
    const insert = db.prepare('INSERT INTO records (body) VALUES (?)')
    await waitForStart()
    const latencies: number[] = []
    const started = performance.now()
    for (let i = 0; i < appends; i++) {
      const t = performance.now()
      // Autocommit: one insert per transaction, each committed with a WAL fsync (synchronous=FULL).
      insert.run(JSON.stringify({ i, pid: process.pid, pad }))
      latencies.push(ms(t))
    }
    const wallMs = ms(started)
    db.close()
    return { appends, wall_ms: wallMs, started_at: performance.timeOrigin + started, latencies, lock_waits: [], commits: appends }
  }

  async function fill(journal: Journal, targetBytes: number, segmentDir: string): Promise<number> {
    let written = 0
    let i = 0
    const batch = 500
    while (written < targetBytes) {
      await journal.appendMany(Array.from({ length: batch }, () => ({ kind: 'bench.record', data: { i: i++, pad } })))
      written = directoryBytes(segmentDir)
    }
    return i
  }

  function directoryBytes(segmentDir: string): number {
    return readdirSync(segmentDir).reduce((sum, name) => sum + statSync(`${segmentDir}/${name}`).size, 0)
  }

  async function journalReplay(): Promise<Record<string, unknown>> {
    const targetBytes = Number(values.mib ?? 100) * 1024 * 1024
    const writer = await openJournal({ dir, lock })
    const records = await fill(writer, targetBytes, `${dir}/segments`)
    const bytes = directoryBytes(`${dir}/segments`)
    await writer.close()

    // Full replay with CRC checks, fresh process state (a new journal object, cold page cache not forced).
    const reader = await openJournal({ dir, lock })
    let t = performance.now()
    let n = 0
    for await (const _ of reader.replay()) n++
    const replayMs = ms(t)
    await reader.close()

    // Cold start at 100k records: checkpoint at 90% of the log (state = one small entry per record,
    // like pathway memory's traces), then open + load checkpoint + replay the tail.
    const cpSeq = Math.floor(records * 0.9)
    const state = { entries: Array.from({ length: cpSeq }, (_, i) => ({ id: i, tag: `t${i % 97}`, rev: 1 })) }
    const cpWriter = await openJournal({ dir, lock })
    await cpWriter.checkpoint(cpSeq, state)
    await cpWriter.close()
    t = performance.now()
    const cold = await openJournal({ dir, lock })
    const cp = await cold.loadCheckpoint<{ entries: unknown[] }>()
    let tail = 0
    for await (const _ of cold.replay({ after: cp?.seq ?? 0 })) tail++
    const coldMs = ms(t)
    await cold.close()
    return {
      records: n,
      bytes,
      replay_ms: replayMs,
      replay_mib_per_s: bytes / (1024 * 1024) / (replayMs / 1000),
      checkpoint_seq: cpSeq,
      checkpoint_entries: cp?.state.entries.length ?? 0,
      tail_records: tail,
      cold_start_ms: coldMs,
    }
  }

  const modes: Record<string, () => Promise<Record<string, unknown>>> = {
    'journal-writer': journalWriter,
    'sqlite-writer': sqliteWriter,
    'journal-replay': journalReplay,
  }
  const run = modes[values.mode ?? '']
  if (run === undefined) {
    process.stderr.write(`journal-worker: unknown --mode ${values.mode} (${Object.keys(modes).join(', ')})\n`)
    process.exit(2)
  }
  process.stdout.write(`${JSON.stringify(await run())}\n`)
}
