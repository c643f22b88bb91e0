import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readCsvSql, rowGroupRows } from '../src/csv-sql.ts'
import { createEngine, type Engine } from '../src/engine.ts'
import { inferSampleTypes, verifyTypes } from '../src/infer-schema.ts'
import { csvRequest, type Harness, harness, send } from './helpers.ts'
import { seedInferSampleTypes, seedVerifyTypes } from './seed-inference.ts'

/**
 * Issue 12: inference used to build one aggregate per column and type, quadratic in the width
 * (2,000 columns of one row: no answer in 30 s, RSS past 13 GB). The new passes must choose
 * exactly the types the seed chose, and answer wide files in linear time.
 */

/** Values that sit on every edge of the type rules (docs/ingest.md), plus NULLs. */
const EDGE_VALUES = [
  '',
  '0',
  '1',
  '-2',
  '007',
  '+5',
  ' 6',
  '1e3',
  '12.5',
  '-3e2',
  '1E-3',
  '.5',
  '5.',
  '0x10',
  '1_000',
  '9223372036854775807',
  '-9223372036854775808',
  '9223372036854775808',
  '12345678901234567890',
  'NaN',
  'Infinity',
  '1e400',
  'true',
  'FALSE',
  'True',
  'yes',
  't',
  '2024-02-29',
  '2023-02-29',
  '2024-2-3',
  '1999-12-31',
  '2024-01-02T03:04:05Z',
  '2024-01-02 03:04',
  '2024-01-02T03:04:05.123456+02:00',
  '2024-01-02T03:04:05.1234567',
  '2024-01-02T25:04',
  'hello',
]

/** Column kinds: a pool a column mostly draws from, so most columns get a real type. */
const KINDS: readonly (readonly string[])[] = [
  ['0', '1', '-2', '42', '9223372036854775807', ''],
  ['1', '2.5', '-3e2', '1E-3', '0', ''],
  ['true', 'FALSE', 'True', ''],
  ['2024-02-29', '1999-12-31', '2000-01-01', ''],
  ['2024-01-02T03:04:05Z', '2024-01-02 03:04', '2024-01-02T03:04:05.5+02:00', ''],
  [''],
  EDGE_VALUES,
]

/** A small deterministic PRNG (mulberry32), so a failure names a reproducible seed. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * `columns` × `rows` of values drawn per column from one kind, with an off-kind edge value at
 * rate `noise`: some inside the sample (the vote sees it), some after it (the whole-file check must).
 */
function randomCsv(seed: number, columns: number, rows: number, noise: number): string {
  const next = random(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T
  const kinds = Array.from({ length: columns }, () => pick(KINDS))
  const lines = [Array.from({ length: columns }, (_, i) => `h${i}`).join(',')]
  for (let r = 0; r < rows; r++) {
    lines.push(kinds.map((kind) => (next() < noise ? pick(EDGE_VALUES) : pick(kind))).join(','))
  }
  return `${lines.join('\n')}\n`
}

let dir: string
let engine: Engine
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ingest-scaling-'))
  engine = await createEngine({ threads: 1, memoryLimit: '1GB', tmpDir: dir })
})
afterAll(async () => {
  await engine.close()
  await rm(dir, { recursive: true, force: true })
})

/** A header c0…cN-1 and one record whose i-th value is `value(i)`. */
function wide(columns: number, value: (i: number) => string): string {
  const header = Array.from({ length: columns }, (_, i) => `c${i}`).join(',')
  const record = Array.from({ length: columns }, (_, i) => value(i)).join(',')
  return `${header}\n${record}\n`
}

let files = 0
/** Runs the seed's inference and the current one on the same CSV; both results. */
async function bothWays(csv: string, columns: number, sampleRows: number) {
  const path = join(dir, `f${files++}.csv`)
  await writeFile(path, csv)
  const relation = readCsvSql(path, columns, 8 * 1024 * 1024)
  return engine.withConnection(async (conn) => {
    const seedSampled = await seedInferSampleTypes(conn, relation, columns, sampleRows)
    const sampled = await inferSampleTypes(conn, relation, columns, sampleRows)
    // The whole-file check both ways: per-column aggregates (narrow files) and lists (wide ones).
    const perColumn = await verifyTypes(conn, relation, sampled, Number.POSITIVE_INFINITY)
    const byList = await verifyTypes(conn, relation, sampled, 0)
    expect(byList).toEqual(perColumn)
    return {
      seed: { sampled: seedSampled, verified: await seedVerifyTypes(conn, relation, seedSampled) },
      current: { sampled, verified: perColumn },
    }
  })
}

describe('issue 12: the DuckDB behaviours infer-schema.ts relies on', () => {
  it('zips two unnests in one SELECT, numbers lambda elements from 1, and bit_and skips NULLs', async () => {
    const rows = await engine.withConnection(async (conn) => {
      const zipped = await conn.runAndReadAll("SELECT unnest([0, 1, 2]) AS k, unnest(['a', NULL, 'c']) AS v")
      const indexed = await conn.runAndReadAll("SELECT list_transform(['x', 'y'], lambda v, i: i)")
      const masks = await conn.runAndReadAll('SELECT bit_and(m), count(m) FROM (SELECT unnest([3, NULL, 1]) AS m)')
      return [zipped.getRowsJson(), indexed.getRowsJson(), masks.getRowsJson()]
    })
    expect(rows).toEqual([
      [
        [0, 'a'],
        [1, null],
        [2, 'c'],
      ],
      [[['1', '2']]],
      [[1, '2']],
    ])
  })
})

describe('issue 12: inference agrees with the seed', () => {
  it('chooses the same type for each edge value alone, and for all of them together', async () => {
    // One column per edge value (every row holds it), then one column holding all of them.
    const columns = EDGE_VALUES.length + 1
    const header = Array.from({ length: columns }, (_, i) => `h${i}`).join(',')
    const rows = EDGE_VALUES.map((_, r) => [...EDGE_VALUES, EDGE_VALUES[r]].join(','))
    const { seed, current } = await bothWays(`${header}\n${rows.join('\n')}\n`, columns, 1000)
    expect(current).toEqual(seed)
    // Spot checks against the documented table, so agreement is not agreement on nonsense.
    expect(current.verified.types.slice(0, 4)).toEqual(['VARCHAR', 'BIGINT', 'BIGINT', 'BIGINT'])
    expect(current.verified.types[EDGE_VALUES.indexOf('12.5')]).toBe('DOUBLE')
    expect(current.verified.types[EDGE_VALUES.indexOf('True')]).toBe('BOOLEAN')
    expect(current.verified.types[EDGE_VALUES.indexOf('2023-02-29')]).toBe('VARCHAR')
    expect(current.verified.types[EDGE_VALUES.indexOf('2024-01-02 03:04')]).toBe('TIMESTAMP')
    expect(current.verified.types.at(-1)).toBe('VARCHAR')
  })

  it.each([
    [1, 7, 60, 20, 0.015],
    [2, 24, 200, 50, 0.015],
    [3, 40, 120, 30, 0.015],
    [4, 13, 400, 1000, 0.0005],
    [5, 1, 50, 5, 0.015],
  ])(
    'gives identical sampled types, row counts and demotions on random CSV #%i (%i columns × %i rows, sample %i)',
    async (seed, columns, rows, sample, noise) => {
      const { seed: expected, current } = await bothWays(randomCsv(seed, columns, rows, noise), columns, sample)
      expect(current).toEqual(expected)
    },
  )

  it('agrees when every column is VARCHAR, and on a header with no rows', async () => {
    const text = await bothWays('a,b\nx,y\nz,\n', 2, 1000)
    expect(text.current).toEqual(text.seed)
    expect(text.current.verified).toMatchObject({ types: ['VARCHAR', 'VARCHAR'], rowCount: 2 })
    const empty = await bothWays('a,b\n', 2, 1000)
    expect(empty.current).toEqual(empty.seed)
    expect(empty.current.verified.rowCount).toBe(0)
  })
})

describe('issue 12: inference on wide files', () => {
  let h: Harness
  beforeAll(async () => {
    h = await harness({ sampleRows: 10 })
  })
  afterAll(async () => {
    await h.close()
  })

  it('answers the 2,000-column one-row reproduction in seconds, every column BIGINT', async () => {
    const started = performance.now()
    const csv = wide(2000, () => '1')
    const r = await send(h.svc, csvRequest('wide_2000', csv))
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(201)
    expect(performance.now() - started).toBeLessThan(10_000)
    expect(r.body.schema).toHaveLength(2000)
    expect(new Set(r.body.schema.map((c: { type: string }) => c.type))).toEqual(new Set(['BIGINT']))
  })

  it('ingests a CSV at the 4,096-column limit (maxColumns) with one row', async () => {
    const csv = wide(4096, (i) => (i % 2 === 0 ? '1' : 'x'))
    const r = await send(h.svc, csvRequest('wide_4096', csv))
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(201)
    expect(r.body.schema.slice(0, 2)).toEqual([
      { name: 'c0', type: 'BIGINT' },
      { name: 'c1', type: 'VARCHAR' },
    ])
    expect(r.body.row_count).toBe(1)
  })

  it('demotes exactly the wide columns whose late values misfit, in every type group', async () => {
    // 1,500 columns cycling BIGINT, DATE, BOOLEAN; 30 rows; the sample is 10 rows. Row 25
    // breaks column 6 (BIGINT), 1,000 (DATE) and 1,499 (BOOLEAN).
    const broken = new Set([6, 1000, 1499])
    const value = (i: number, r: number) => {
      if (r === 25 && broken.has(i)) return 'oops'
      return [String(r), '2024-01-02', r % 2 === 0 ? 'true' : 'false'][i % 3] as string
    }
    const header = Array.from({ length: 1500 }, (_, i) => `c${i}`).join(',')
    const rows = Array.from({ length: 30 }, (_, r) => Array.from({ length: 1500 }, (_, i) => value(i, r)).join(','))
    const r = await send(h.svc, csvRequest('wide_misfit', `${header}\n${rows.join('\n')}\n`))
    expect(r.status).toBe(201)
    const types: string[] = r.body.schema.map((c: { type: string }) => c.type)
    types.forEach((t, i) => {
      expect(t, `c${i}`).toBe(broken.has(i) ? 'VARCHAR' : ['BIGINT', 'DATE', 'BOOLEAN'][i % 3])
    })
    expect(r.body.row_count).toBe(30)
  })

  it('answers 503 INGEST_OUT_OF_MEMORY with Retry-After when DuckDB reaches memoryLimit, leaving nothing behind', async () => {
    const tight = await harness({ memoryLimit: '32MB', retryAfterSeconds: 7 })
    try {
      const csv = wide(2000, () => '1')
      const r = await send(tight.svc, csvRequest('too_wide', csv))
      expect([r.status, r.body.code]).toEqual([503, 'INGEST_OUT_OF_MEMORY'])
      expect(r.headers.get('retry-after')).toBe('7')
      expect(tight.store.puts).toEqual([])
      expect(await tight.leftovers()).toEqual([])
      // Narrow files still fit in the same service afterwards.
      expect((await send(tight.svc, csvRequest('narrow', 'a,b\n1,2\n'))).status).toBe(201)
    } finally {
      await tight.close()
    }
  })
})

describe('issue 12: Parquet row groups shrink with the width', () => {
  it('keeps the configured rows up to 64 columns, then caps the cells, never below 2,048 rows', () => {
    expect(rowGroupRows(16_384, 12)).toBe(16_384)
    expect(rowGroupRows(16_384, 64)).toBe(16_384)
    expect(rowGroupRows(16_384, 250)).toBe(4194)
    expect(rowGroupRows(16_384, 2000)).toBe(2048)
    expect(rowGroupRows(16_384, 4096)).toBe(2048)
    expect(rowGroupRows(1024, 4096)).toBe(1024)
  })
})
