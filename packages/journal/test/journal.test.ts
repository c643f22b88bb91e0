import { appendFile, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { isProblem } from '@lakehouse/kit'
import { describe, expect, it } from 'vitest'
import { RECORD_MAX_BYTES, readLockOwner } from '../src/index.ts'
import { collect, open, runtimeLock, segmentPaths, storeBytes, tempStore } from './helpers.ts'

function codeOf(err: unknown): string | undefined {
  return isProblem(err) ? err.code : undefined
}

describe('journal append and replay', () => {
  it('assigns rising seqs, acknowledges after the write, and replays the same records', async () => {
    const dir = await tempStore()
    const j = await open(dir)
    const a = await j.append('test.add', { n: 1 })
    const b = await j.append('test.add', { n: 2, nested: { x: [1, 2] } })
    expect([a.seq, b.seq]).toEqual([1, 2])
    expect(b.data).toEqual({ n: 2, nested: { x: [1, 2] } })
    await j.close()
    const again = await open(dir)
    const records = await collect(again.replay())
    expect(records.map((r) => [r.seq, r.kind, r.data])).toEqual([
      [1, 'test.add', { n: 1 }],
      [2, 'test.add', { n: 2, nested: { x: [1, 2] } }],
    ])
    expect(again.stats().last_seq).toBe(2)
    expect((await again.append('test.add', {})).seq).toBe(3)
    await again.close()
  })

  it('frames each record as one CRC-checked JSON line', async () => {
    const dir = await tempStore()
    const j = await open(dir)
    await j.append('test.add', { text: 'line\nbreak' })
    await j.close()
    const text = (await storeBytes(dir)).toString()
    expect(text.startsWith('\n{"c":"')).toBe(true)
    expect(text.endsWith('}\n')).toBe(true)
    const line = JSON.parse(text.trim()) as { c: string; r: { seq: number; data: unknown } }
    expect(line.c).toMatch(/^[0-9a-f]{8}$/)
    expect(line.r.data).toEqual({ text: 'line\nbreak' })
  })

  it('group-commits concurrent appends into fewer write+fsync rounds', async () => {
    const dir = await tempStore()
    const j = await open(dir)
    const records = await Promise.all(Array.from({ length: 200 }, (_, i) => j.append('test.add', { i })))
    expect(new Set(records.map((r) => r.seq)).size).toBe(200)
    const stats = j.stats()
    expect(stats.appended).toBe(200)
    expect(stats.commits).toBeLessThan(200)
    await j.close()
    const replayed = await collect((await open(dir)).replay())
    expect(replayed.map((r) => r.seq)).toEqual(records.map((r) => r.seq).sort((x, y) => x - y))
  })

  it('gives appendMany consecutive seqs', async () => {
    const dir = await tempStore()
    const j = await open(dir)
    const out = await j.appendMany([
      { kind: 'test.a', data: 1 },
      { kind: 'test.b', data: 2 },
      { kind: 'test.c', data: 3 },
    ])
    expect(out.map((r) => r.seq)).toEqual([1, 2, 3])
    await j.close()
  })

  it('refuses a record over 256 KiB before writing and leaves the store byte-identical', async () => {
    const dir = await tempStore()
    const j = await open(dir)
    await j.append('test.add', { n: 1 })
    const before = await storeBytes(dir)
    const err = await j.append('test.big', { blob: 'x'.repeat(RECORD_MAX_BYTES) }).catch((e: unknown) => e)
    expect(codeOf(err)).toBe('JOURNAL_RECORD_TOO_LARGE')
    expect((await storeBytes(dir)).equals(before)).toBe(true)
    await j.append('test.warn', { blob: 'y'.repeat(70 * 1024) })
    expect(j.stats().large_record_warnings).toBe(1)
    await j.close()
  })

  it('rejects invalid kinds and the reserved journal.* namespace', async () => {
    const j = await open(await tempStore())
    await expect(j.append('Bad Kind', {})).rejects.toThrow(TypeError)
    await expect(j.append('journal.torn_tail', {})).rejects.toThrow(TypeError)
    await j.close()
  })

  it('refuses appends after close with JOURNAL_CLOSED', async () => {
    const j = await open(await tempStore())
    await j.close()
    expect(codeOf(await j.append('test.add', {}).catch((e: unknown) => e))).toBe('JOURNAL_CLOSED')
  })
})

describe('journal torn tails and corruption', () => {
  it('skips a torn tail, counts it apart from corruption, and appends after it', async () => {
    const dir = await tempStore()
    const j = await open(dir)
    await j.append('test.add', { n: 1 })
    await j.close()
    const [seg] = await segmentPaths(dir)
    await appendFile(seg as string, '\n{"c":"0000abcd","r":{"seq":2,"kind":"test.add","at":"x","wri')
    const reopened = await open(dir)
    expect((await collect(reopened.replay())).map((r) => r.seq)).toEqual([1])
    expect(reopened.stats().torn_tails).toBe(1)
    expect(reopened.stats().corrupt_skipped).toBe(0)
    // seq 2 goes to the writer's torn-tail note, written ahead of the record.
    const next = await reopened.append('test.add', { n: 2 })
    expect(next.seq).toBe(3)
    await reopened.close()
    const third = await open(dir)
    expect((await collect(third.replay())).map((r) => r.data)).toEqual([{ n: 1 }, { n: 2 }])
    // Now mid-file, but explained by the note the next writer left: still torn, not corrupt.
    expect(third.stats().torn_tails).toBe(1)
    expect(third.stats().corrupt_skipped).toBe(0)
    await third.close()
  })

  it('treats a tail of NUL bytes as torn', async () => {
    const dir = await tempStore()
    const j = await open(dir)
    await j.append('test.add', { n: 1 })
    await j.close()
    const [seg] = await segmentPaths(dir)
    await appendFile(seg as string, Buffer.alloc(4096))
    const reopened = await open(dir)
    expect((await collect(reopened.replay())).length).toBe(1)
    expect(reopened.stats().torn_tails).toBe(1)
    expect((await reopened.append('test.add', { n: 2 })).seq).toBe(3)
    expect((await collect(reopened.replay())).map((r) => r.seq)).toEqual([1, 3])
    await reopened.close()
  })

  it('skips and counts a corrupt record in the middle of the log', async () => {
    const dir = await tempStore()
    const j = await open(dir)
    for (let i = 1; i <= 3; i++) await j.append('test.add', { n: i, pad: 'abcdef' })
    await j.close()
    const [seg] = await segmentPaths(dir)
    const buf = await readFile(seg as string)
    const second = buf.indexOf('"n":2')
    buf[second + 4] = '9'.charCodeAt(0)
    await writeFile(seg as string, buf)
    const reopened = await open(dir)
    expect((await collect(reopened.replay())).map((r) => r.data)).toEqual([
      { n: 1, pad: 'abcdef' },
      { n: 3, pad: 'abcdef' },
    ])
    expect(reopened.stats().corrupt_skipped).toBe(1)
    expect(reopened.stats().torn_tails).toBe(0)
    await reopened.close()
  })
})

describe('journal segments, seq floor and checkpoints', () => {
  it('rolls segments named by their first seq and replays across them', async () => {
    const dir = await tempStore()
    const j = await open(dir, { segmentMaxBytes: 1024 })
    for (let i = 1; i <= 40; i++) await j.append('test.add', { i, pad: 'p'.repeat(100) })
    const names = (await segmentPaths(dir)).map((p) => p.slice(-24))
    expect(names.length).toBeGreaterThan(3)
    expect(names[0]).toBe('00000000000000000001.seg')
    const firsts = names.map((n) => Number(n.slice(0, 20)))
    expect(firsts).toEqual([...firsts].sort((a, b) => a - b))
    expect((await collect(j.replay())).map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    expect((await collect(j.replay({ after: 30 }))).map((r) => r.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 31))
    await j.close()
  })

  it('never reuses a seq after a crash between segment creation and the meta save', async () => {
    const dir = await tempStore()
    let crash = false
    const j = await open(dir, {
      segmentMaxBytes: 600,
      faults: {
        afterSegmentCreated: () => {
          if (crash) throw new Error('simulated crash after roll')
        },
      },
    })
    for (let i = 0; i < 3; i++) await j.append('test.add', { pad: 'p'.repeat(150) })
    crash = true
    let failedAt = 0
    for (let i = 0; i < 10 && failedAt === 0; i++) {
      await j.append('test.add', { pad: 'p'.repeat(150) }).catch(() => {
        failedAt = i
      })
    }
    await j.close().catch(() => undefined)
    const names = (await segmentPaths(dir)).map((p) => Number(p.slice(-24, -4)))
    const newest = names.at(-1) as number
    const reopened = await open(dir)
    const r = await reopened.append('test.add', {})
    expect(r.seq).toBeGreaterThanOrEqual(newest)
    const seqs = (await collect(reopened.replay())).map((x) => x.seq)
    expect(new Set(seqs).size).toBe(seqs.length)
    await reopened.close()
  })

  it('heals the seq upward when the persisted floor is ahead of the tail, and records the repair', async () => {
    const dir = await tempStore()
    const j = await open(dir)
    await j.append('test.add', {})
    await j.close()
    await writeFile(join(dir, 'meta.json'), JSON.stringify({ version: 1, seq_floor: 100 }))
    const reopened = await open(dir)
    expect((await reopened.append('test.add', {})).seq).toBe(101)
    expect(reopened.stats().seq_repairs).toBe(1)
    await reopened.close()
  })

  it('writes a verified checkpoint, archives covered segments, and cold-starts from it plus the tail', async () => {
    const dir = await tempStore()
    const j = await open(dir, { segmentMaxBytes: 2048 })
    let sum = 0
    for (let i = 1; i <= 60; i++) {
      await j.append('test.add', { i, pad: 'q'.repeat(80) })
      if (i <= 45) sum += i
    }
    await j.checkpoint(45, { sum })
    expect(j.stats().archived_segments).toBeGreaterThan(0)
    await j.close()
    const reopened = await open(dir)
    const cp = await reopened.loadCheckpoint<{ sum: number }>()
    expect(cp?.seq).toBe(45)
    let total = cp?.state.sum ?? 0
    for await (const r of reopened.replay({ after: cp?.seq ?? 0 })) total += (r.data as { i: number }).i
    expect(total).toBe((60 * 61) / 2)
    // Archived segments are still readable: a full replay sees everything.
    expect((await collect(reopened.replay())).length).toBe(60)
    await reopened.close()
  })

  it('falls back to an older checkpoint when the newest does not verify', async () => {
    const dir = await tempStore()
    const j = await open(dir)
    for (let i = 1; i <= 5; i++) await j.append('test.add', { i })
    await j.checkpoint(3, { upTo: 3 })
    await j.checkpoint(5, { upTo: 5 })
    await j.close()
    const newest = join(dir, 'checkpoints', `${'5'.padStart(20, '0')}.ckpt`)
    const buf = await readFile(newest)
    buf[buf.length - 5] = 0x30
    await writeFile(newest, buf)
    const reopened = await open(dir)
    expect((await reopened.loadCheckpoint())?.seq).toBe(3)
    await reopened.close()
  })

  it('reads by cursor and reports a gap when the records after the cursor are gone', async () => {
    const dir = await tempStore()
    const j = await open(dir, { segmentMaxBytes: 512 })
    for (let i = 1; i <= 20; i++) await j.append('test.add', { i, pad: 'r'.repeat(60) })
    const page = await j.read(5, 3)
    expect(page.records.map((r) => r.seq)).toEqual([6, 7, 8])
    expect(page.next).toBe(8)
    expect(page.gap).toBe(false)
    const empty = await j.read(20, 10)
    expect(empty).toEqual({ records: [], next: 20, gap: false })
    const [first] = await segmentPaths(dir)
    await unlink(first as string)
    const after = await j.read(0, 100)
    expect(after.gap).toBe(true)
    expect(after.records[0]?.seq).toBeGreaterThan(1)
    await j.close()
  })
})

describe('journal faults', () => {
  it('fails loudly on a short write, acknowledges nothing, and notes the torn bytes on the next append', async () => {
    const dir = await tempStore()
    let short = true
    const { NODE_FS_IO } = await import('../src/io.ts')
    const j = await open(dir, {
      io: {
        write: async (fd, buf) => (short ? NODE_FS_IO.write(fd, buf.subarray(0, Math.floor(buf.length / 2))) : NODE_FS_IO.write(fd, buf)),
        fsync: NODE_FS_IO.fsync,
      },
    })
    expect(codeOf(await j.append('test.add', { n: 1, pad: 'x'.repeat(50) }).catch((e: unknown) => e))).toBe('JOURNAL_WRITE_FAILED')
    short = false
    const ok = await j.append('test.add', { n: 2 })
    await j.close()
    const reopened = await open(dir)
    const records = await collect(reopened.replay())
    expect(records.map((r) => r.data)).toEqual([{ n: 2 }])
    expect(records[0]?.seq).toBe(ok.seq)
    expect(reopened.stats().torn_tails).toBe(1)
    expect(reopened.stats().corrupt_skipped).toBe(0)
    await reopened.close()
  })

  it('fails loudly with no ack when the disk is full (/dev/full)', async () => {
    const dir = await tempStore()
    const j = await open(dir)
    await j.close()
    await symlink('/dev/full', join(dir, 'segments', `${'1'.padStart(20, '0')}.seg`))
    const full = await open(dir)
    const err = await full.append('test.add', { n: 1 }).catch((e: unknown) => e)
    expect(codeOf(err)).toBe('JOURNAL_WRITE_FAILED')
    expect(String((err as Error).message)).toContain('ENOSPC')
    await full.close()
  })

  it('fails an fsync error without acknowledging', async () => {
    const dir = await tempStore()
    const { NODE_FS_IO } = await import('../src/io.ts')
    const j = await open(dir, {
      io: { write: NODE_FS_IO.write, fsync: async () => Promise.reject(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })) },
    })
    expect(codeOf(await j.append('test.add', {}).catch((e: unknown) => e))).toBe('JOURNAL_WRITE_FAILED')
    await j.close()
  })

  it('reports JOURNAL_OPEN_FAILED with the path when the store cannot be created', async () => {
    const dir = await tempStore()
    await writeFile(`${dir}`, 'not a directory')
    const err = await open(join(dir, 'inner')).catch((e: unknown) => e)
    expect(codeOf(err)).toBe('JOURNAL_OPEN_FAILED')
    expect((err as Error).message).toContain(dir)
    await rm(dir, { force: true })
  })
})

describe('journal locking', () => {
  it('serialises two journals on one store (separate lock fds): nothing lost, seqs unique and rising in file order', async () => {
    const dir = await tempStore()
    const a = await open(dir)
    const b = await open(dir)
    const writes = []
    for (let i = 0; i < 100; i++) {
      writes.push(a.append('test.a', { i }))
      writes.push(b.append('test.b', { i }))
    }
    const acked = await Promise.all(writes)
    expect(new Set(acked.map((r) => r.seq)).size).toBe(200)
    const replayed = await collect(a.replay())
    expect(replayed.length).toBe(200)
    expect(replayed.map((r) => r.seq)).toEqual([...replayed.map((r) => r.seq)].sort((x, y) => x - y))
    expect(a.stats().corrupt_skipped).toBe(0)
    await a.close()
    await b.close()
  })

  it('times out with JOURNAL_LOCK_TIMEOUT while another file holds the lock, and stamps the owner', async () => {
    const dir = await tempStore()
    const j = await open(dir, { lockTimeoutMs: 60 })
    await j.append('test.add', {})
    expect(readLockOwner(dir)).toMatch(new RegExp(`^${process.pid}:[0-9a-f]{12}$`))
    const { openSync, closeSync } = await import('node:fs')
    const lock = await runtimeLock()
    const fd = openSync(join(dir, 'lock'), 'r+')
    expect(lock.tryLock(fd)).toBe(true)
    const err = await j.append('test.add', {}).catch((e: unknown) => e)
    expect(codeOf(err)).toBe('JOURNAL_LOCK_TIMEOUT')
    lock.unlock(fd)
    closeSync(fd)
    expect((await j.append('test.add', {})).seq).toBe(2)
    await j.close()
  })
})
