import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type FileLock, type JournalRecord, openJournal, type RawFrame } from '@lakehouse/journal'
import { cliCommand } from '@lakehouse/launch'
import { dataLayout } from '@lakehouse/provision'
import { afterEach, describe, expect, it } from 'vitest'
import { checkCollision } from '../src/commands/collide-check.ts'

/** The CLI as users run it (@lakehouse/launch): Bun on the sources. */
const [BUN = '', CLI = ''] = cliCommand()

const cli = (args: string[]) => spawnSync(BUN, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 })

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'lakehouse-cli-journal-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

// This test process is the only writer of the stores it builds, so it needs no kernel lock
// (the CLI under test runs on Bun and uses Bun's flock).
const SOLE_WRITER: FileLock = { tryLock: () => true, unlock: () => undefined }

/** A store with 100 records over several segments, a checkpoint at 60 (older segments archived). */
async function buildStore(dir: string): Promise<void> {
  const journal = await openJournal({ dir, lock: SOLE_WRITER, segmentMaxBytes: 2048 })
  for (let i = 1; i <= 100; i++) {
    await journal.append(i % 3 === 0 ? 'test.remove' : 'test.add', { i, text: `record ${i}`, nested: { even: i % 2 === 0 } })
    if (i === 60) await journal.checkpoint(60, { upTo: 60 })
  }
  await journal.close()
}

function treeHash(dir: string): string {
  const h = createHash('sha256')
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }).sort((a, b) =>
    join(a.parentPath, a.name).localeCompare(join(b.parentPath, b.name)),
  )) {
    const path = join(entry.parentPath, entry.name)
    h.update(path)
    if (entry.isFile()) h.update(readFileSync(path))
  }
  return h.digest('hex')
}

describe('lakehouse doctor collide', () => {
  it('runs 3 mixed writers × 50 appends against one store and finds nothing lost, duplicated or corrupt', () => {
    const r = cli(['doctor', 'collide', '--writers', '3', '--appends', '50', '--runtime', 'mixed', '--json'])
    expect(r.status, r.stderr).toBe(0)
    const report = JSON.parse(r.stdout)
    expect(report).toMatchObject({
      ok: true,
      expected: 150,
      found: 150,
      lost: 0,
      duplicates: 0,
      acked_missing: 0,
      seq_rising: true,
      unexplained_gaps: [],
      corrupt: 0,
      torn: 0,
      kept: false,
    })
    expect(report.writers.map((w: { runtime: string; acked: number; exit: string }) => [w.runtime, w.acked, w.exit])).toEqual([
      ['node', 50, 'exit 0'],
      ['bun', 50, 'exit 0'],
      ['node', 50, 'exit 0'],
    ])
    expect(statSync(report.store, { throwIfNoEntry: false })).toBeUndefined()
  })

  it('prints a readable report into a store given with --dir, and keeps it', () => {
    const store = join(tempDir(), 'store')
    const r = cli(['doctor', 'collide', '--writers', '2', '--appends', '20', '--runtime', 'bun', '--concurrency', '4', '--dir', store])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain('expected 40, found 40, lost 0, duplicates 0')
    expect(r.stdout).toContain('corrupt 0, torn 0')
    expect(r.stdout).toContain('ok: nothing lost, duplicated or corrupt')
    expect(readdirSync(join(store, 'segments')).length).toBeGreaterThan(0)
  })

  it('exits 2 on a bad option', () => {
    const r = cli(['doctor', 'collide', '--runtime', 'deno'])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('--runtime must be one of node, bun, mixed')
  })
})

describe('checkCollision', () => {
  const rec = (seq: number, writer: string, i: number): JournalRecord => ({
    seq,
    kind: 'writer.append',
    at: '',
    writer: '1:x',
    data: { writer, i, pad: '' },
  })
  const frames = (records: JournalRecord[], extra: RawFrame[] = []): RawFrame[] =>
    [...records.map((r) => ({ seq: r.seq, kind: r.kind, data: r.data })), ...extra].sort((a, b) => a.seq - b.seq)
  const writer = (id: string, acks: { seq: number; i: number }[]) => ({
    id,
    runtime: 'node',
    pid: 1,
    exit: 'exit 0',
    acks: acks.map((a) => ({ ...a, writer: id })),
    commits: acks.length,
  })
  const base = { appends: 2, corrupt: 0, torn: 0, wallMs: 10 }

  it('passes a complete interleaved run', () => {
    const records = [rec(1, 'a', 0), rec(2, 'b', 0), rec(3, 'a', 1), rec(4, 'b', 1)]
    const r = checkCollision({
      ...base,
      writers: [
        writer('a', [
          { seq: 1, i: 0 },
          { seq: 3, i: 1 },
        ]),
        writer('b', [{ seq: 2, i: 0 }]),
      ],
      records,
      raw: { frames: frames(records), badLines: 0 },
    })
    expect([r.ok, r.found, r.interleavings, r.lost, r.acked_missing]).toEqual([true, 4, 3, 0, 0])
  })

  it('fails on a lost acknowledged record, a duplicate and a gap no note explains', () => {
    const records = [rec(1, 'a', 0), rec(2, 'a', 0), rec(5, 'b', 0), rec(6, 'b', 1)]
    const r = checkCollision({
      ...base,
      writers: [
        writer('a', [
          { seq: 1, i: 0 },
          { seq: 3, i: 1 },
        ]),
        writer('b', []),
      ],
      records,
      raw: { frames: frames(records), badLines: 0 },
    })
    expect(r.ok).toBe(false)
    expect([r.lost, r.duplicates, r.acked_missing]).toEqual([1, 1, 1])
    expect(r.unexplained_gaps).toEqual([[3, 4]])
  })

  it('accepts a gap explained by a journal.seq_repair note', () => {
    const records = [rec(1, 'a', 0), rec(2, 'a', 1), rec(11, 'b', 0), rec(12, 'b', 1)]
    const note = { seq: 10, kind: 'journal.seq_repair', data: { segment: 'x', tail_seq: 2, resume_after: 9 } }
    const r = checkCollision({
      ...base,
      writers: [writer('a', []), writer('b', [])],
      records,
      raw: { frames: frames(records, [note]), badLines: 0 },
    })
    expect(r.unexplained_gaps).toEqual([])
    expect(r.notes).toEqual({ 'journal.seq_repair': 1 })
    expect(r.ok).toBe(true)
  })
})

describe('lakehouse doctor --verify-journal', () => {
  it('replays and rebuilds every store from a copy, leaves the live stores untouched, and exits 0', async () => {
    const data = tempDir()
    await buildStore(dataLayout(data).journal('memory'))
    await buildStore(dataLayout(data).journal('other'))
    // A torn tail is reported, not a failure.
    const segs = join(dataLayout(data).journal('other'), 'segments')
    appendFileSync(join(segs, readdirSync(segs).sort().at(-1) as string), '\n{"c":"00000000","r":{"seq":101,"ki')
    const before = treeHash(dataLayout(data).journals)
    const r = cli(['doctor', '--verify-journal', '--data-dir', data])
    expect(r.status, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toContain('journal stores under')
    const memoryLine = r.stdout.split('\n').find((l) => l.includes('journal/memory:')) ?? ''
    expect(memoryLine).toMatch(
      /^ {2}ok {3}.*records 100, last seq 100, segments \d+, archived [1-9]\d*, checkpoint 60 \(verified\), torn 0, corrupt 0, diff: none$/,
    )
    expect(r.stdout).toMatch(/journal\/other: records 100, .*torn 1, corrupt 0, diff: none/)
    expect(treeHash(dataLayout(data).journals)).toBe(before)
    const json = cli(['doctor', '--verify-journal', '--data-dir', data, '--json'])
    expect(json.status).toBe(0)
    const parsed = JSON.parse(json.stdout)
    expect(parsed.ok).toBe(true)
    expect(
      parsed.stores.map((s: { records: number; rebuilt_records: number; differences: number }) => [
        s.records,
        s.rebuilt_records,
        s.differences,
      ]),
    ).toEqual([
      [100, 100, 0],
      [100, 100, 0],
    ])
  })

  it('exits 1 and counts the corruption when a record in the middle of a segment is damaged', async () => {
    const data = tempDir()
    const store = dataLayout(data).journal('memory')
    await buildStore(store)
    const damaged = dataLayout(tempDir()).journal('memory')
    cpSync(store, damaged, { recursive: true })
    const segs = join(damaged, 'segments')
    // The oldest active segment: never its torn-tail position, whatever the record count.
    const seg = join(segs, readdirSync(segs).sort()[0] as string)
    const buf = readFileSync(seg)
    const at = buf.indexOf('"text":"record ')
    buf[at + 9] = 'X'.charCodeAt(0)
    writeFileSync(seg, buf)
    const ok = cli(['doctor', '--verify-journal', '--data-dir', data])
    expect(ok.status).toBe(0)
    const bad = cli(['doctor', '--verify-journal', '--data-dir', join(damaged, '..', '..')])
    expect(bad.status, bad.stdout).toBe(1)
    expect(bad.stdout).toMatch(/FAIL .*journal\/memory: records 99, .*corrupt 1, diff: none/)
    expect(bad.stdout).toContain('journal check FAILED')
  })

  it('fails a store whose newest checkpoint does not verify', async () => {
    const data = tempDir()
    const store = dataLayout(data).journal('memory')
    await buildStore(store)
    const ckpts = join(store, 'checkpoints')
    const newest = join(ckpts, readdirSync(ckpts).sort().at(-1) as string)
    const buf = readFileSync(newest)
    buf[buf.length - 4] = (buf[buf.length - 4] as number) ^ 0x01
    writeFileSync(newest, buf)
    const r = cli(['doctor', '--verify-journal', '--data-dir', data])
    expect(r.status).toBe(1)
    expect(r.stdout).toContain('checkpoint 60 (FAIL: the newest checkpoint 00000000000000000060.ckpt does not verify)')
  })
})
