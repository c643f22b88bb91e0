import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type CorpusProgress, CSV_HEADER, writeWorkersCsv } from '../src/index.ts'
import { corpusSha256 } from './helpers.ts'

let dir = ''
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'corpus-write-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('writeWorkersCsv', () => {
  it('writes the streamed bytes and reports rows, size and sha256 of the file', async () => {
    const out = join(dir, 'workers.csv')
    const result = await writeWorkersCsv({ rows: 2_500, seed: 'file', out })
    const bytes = readFileSync(out)
    expect(result.rows).toBe(2_500)
    expect(result.bytes).toBe(bytes.length)
    expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'))
    expect(result.sha256).toBe(await corpusSha256({ rows: 2_500, seed: 'file' }))
    expect(readdirSync(dir)).toEqual(['workers.csv'])
  })

  it('reports progress in increasing row counts and ends with every row written', async () => {
    const seen: CorpusProgress[] = []
    await writeWorkersCsv({ rows: 20_000, seed: 'progress', out: join(dir, 'p.csv'), onProgress: (p) => seen.push(p) })
    const last = seen.at(-1)
    expect(last).toEqual({ rowsWritten: 20_000, totalRows: 20_000, bytesWritten: expect.any(Number) })
    const counts = seen.map((p) => p.rowsWritten)
    expect([...counts].sort((a, b) => a - b)).toEqual(counts)
    expect(new Set(counts).size).toBe(counts.length)
  })

  it('replaces an existing file whole', async () => {
    const out = join(dir, 'workers.csv')
    writeFileSync(out, 'old contents that are longer than a header '.repeat(10))
    await writeWorkersCsv({ rows: 0, seed: 'x', out })
    expect(readFileSync(out, 'utf8')).toBe(CSV_HEADER)
  })

  it('removes its temp file and keeps the old file when aborted', async () => {
    const out = join(dir, 'workers.csv')
    writeFileSync(out, 'old')
    const controller = new AbortController()
    const reason = new Error('stop')
    const write = writeWorkersCsv({
      rows: 200_000,
      seed: 'abort',
      out,
      signal: controller.signal,
      onProgress: () => controller.abort(reason),
    })
    // Progress may not fire before the end on a fast machine; abort on the next tick as well.
    setTimeout(() => controller.abort(reason), 0).unref()
    await expect(write).rejects.toBe(reason)
    expect(readdirSync(dir)).toEqual(['workers.csv'])
    expect(readFileSync(out, 'utf8')).toBe('old')
  })

  it('rejects with the fs error code when the directory does not exist', async () => {
    await expect(writeWorkersCsv({ rows: 1, seed: 'x', out: join(dir, 'missing', 'w.csv') })).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('validates options before touching the disk', async () => {
    await expect(writeWorkersCsv({ rows: -5, seed: 'x', out: join(dir, 'w.csv') })).rejects.toMatchObject({ code: 'CONFIG_INVALID' })
    expect(readdirSync(dir)).toEqual([])
  })
})
