import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { describe, expect, it } from 'vitest'
import { defaultMemoryLimit } from '../src/config.ts'
import { ALLOWED_TABLE_FUNCTIONS, queryDefaults, queryErrors, resolveQueryConfig, scrubPaths } from '../src/index.ts'
import { refusedReference } from '../src/reference-policy.ts'
import { formatDate, formatTime, formatTimestamp, formatTimeTz, MICROS, MILLIS, NANOS, SECONDS } from '../src/temporal-format.ts'

describe('scrubPaths', () => {
  it.each([
    ['Cannot access file "/etc/passwd" - disabled', 'Cannot access file "<path>" - disabled'],
    ["read_parquet('/srv/data/objects/datasets/w/f.parquet')", "read_parquet('<path>')"],
    ['pattern "/srv/my data/x.parquet"', 'pattern "<path>"'],
    ["LINE 1: SELECT * FROM read_parquet('/tmp/lakehouse/objects/datasets...", "LINE 1: SELECT * FROM read_parquet('<path>"],
    ['Table with name /etc/passwd does not exist', 'Table with name <path> does not exist'],
    ['/root/.duckdb/extensions/v1.5.6', '<path>'],
    ['directory ~/secrets/key', 'directory <path>'],
    ['file C:\\Users\\me\\key.pem missing', 'file <path> missing'],
    ['see file:///etc/hosts', 'see <path>'],
    ['[/a/b/, /c/]', '[<path>, <path>]'],
    ['Cannot open file "/srv/lake/objects/datasets/w/f0.parquet": No such file', 'Cannot open file "<path>": No such file'],
    ["No magic bytes found at end of file '/data/objects/datasets/w/f0.parquet'", "No magic bytes found at end of file '<path>'"],
    ['allowed_directories [/var/lib/lakehouse/objects/datasets/]', 'allowed_directories [<path>]'],
    ['file:/etc/hosts and FILE:///x/y', '<path> and <path>'],
    ['C:/Users/me/key.pem', '<path>'],
    ['"/é/ü/x"', '"<path>"'],
    ['(/tmp/x.parquet)', '(<path>)'],
    ['x=/tmp/x', 'x=<path>'],
    ["'/srv'", "'<path>'"],
    ['LINE 1: SELECT 1 /* /etc/passwd', 'LINE 1: SELECT 1 /* <path>'],
    // DuckDB cuts a long echoed line on the left too, leaving the tail of a path behind "..."
    ["LINE 1: ...query-kohmkr/objects/datasets/workers/f0.parquet' x y", "LINE 1: ...<path>' x y"],
  ])('%s', (input, expected) => {
    expect(scrubPaths(input)).toBe(expected)
  })

  it.each([
    'SELECT 1/2',
    'SELECT 4 / 2',
    'SELECT 7 // 2',
    'a/b relative',
    'no paths here',
    'ratio 3/4',
    // issue 11: a comment opener is not a path
    'Parser Error: unterminated /* comment at or near "/*"\n\nLINE 1: SELECT 1 /*\n                 ^',
    'SELECT 1 /* note */ + 2',
    "SELECT '/*'",
    "SELECT '/'",
    '*/',
    'x / y',
    'x /y',
    'SELECT 4 /2',
    'SELECT 8 /2/2',
    'SELECT 3600 /60.0',
    'a //b',
    'SELECT 10 % 3 / 1',
    "SELECT 'https://example.com/a/b?x=1'",
    'see http://localhost:8080/v1/query/sql',
    "SELECT '2024/01/02'",
    'regex ^/$ and [/]',
    'LINE 1: ...ELECT 1 + 2 + 3 x y',
    'Did you mean "pg_constraint"?...',
    'SELECT a ~ b, c !~ d',
    "E'\\n' and \\t",
    "Binder Error: No function matches the given name and argument types '/(VARCHAR, INTEGER)'",
  ])('leaves %j alone', (text) => {
    expect(scrubPaths(text)).toBe(text)
  })
})

describe('temporal formatting', () => {
  it('formats dates across eras', () => {
    expect(formatDate(0)).toBe('1970-01-01')
    expect(formatDate(-1)).toBe('1969-12-31')
    expect(formatDate(19782)).toBe('2024-02-29')
    expect(formatDate(-719162)).toBe('0001-01-01')
    expect(formatDate(-719163)).toBe('0000-12-31')
    expect(formatDate(2932897)).toBe('10000-01-01')
  })

  it('formats timestamps in every unit with exact fractions', () => {
    expect(formatTimestamp(0n, MICROS)).toBe('1970-01-01T00:00:00Z')
    expect(formatTimestamp(-1n, MICROS)).toBe('1969-12-31T23:59:59.999999Z')
    expect(formatTimestamp(1704164645123456n, MICROS)).toBe('2024-01-02T03:04:05.123456Z')
    expect(formatTimestamp(1704164645120n, MILLIS)).toBe('2024-01-02T03:04:05.120Z')
    expect(formatTimestamp(1704164645n, SECONDS)).toBe('2024-01-02T03:04:05Z')
    expect(formatTimestamp(1704164645123456789n, NANOS)).toBe('2024-01-02T03:04:05.123456789Z')
    expect(formatTimestamp(-86_400_000_000n, MICROS)).toBe('1969-12-31T00:00:00Z')
  })

  it('agrees with Date.toISOString wherever milliseconds suffice', () => {
    let seed = 7
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      const ms = Math.floor(((seed / 2 ** 31) * 2 - 1) * 8e12)
      const iso = new Date(ms).toISOString()
      const expected = iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso
      expect(formatTimestamp(BigInt(ms), MILLIS)).toBe(expected)
    }
  })

  it('formats times', () => {
    expect(formatTime(0n, MICROS)).toBe('00:00:00')
    expect(formatTime(45296789000n, MICROS)).toBe('12:34:56.789000')
    expect(formatTime(86_400_000_000n, MICROS)).toBe('24:00:00')
    expect(formatTime(45296000000001n, NANOS)).toBe('12:34:56.000000001')
    expect(formatTimeTz(43200000000n, 19800)).toBe('12:00:00+05:30')
    expect(formatTimeTz(0n, -3661)).toBe('00:00:00-01:01:01')
  })
})

describe('table-function allow-list', () => {
  const tf = (name: unknown) => ({ type: 'TABLE_FUNCTION', function: { class: 'FUNCTION', function_name: name } })
  const refused = (tree: unknown) => refusedReference(tree, new Set())?.detail
  it('finds a disallowed function anywhere in the tree and fails closed', () => {
    expect(refused([{ node: { from_table: tf('range') } }])).toBeUndefined()
    expect(refused([{ a: [{ b: { c: tf('range') } }, { d: tf('enable_logging') }] }])).toContain('enable_logging()')
    expect(refused([tf('READ_CSV')])).toContain('read_csv()')
    expect(refused([tf('read_parquet')])).toContain('read_parquet()')
    expect(refused([tf(undefined)])).toContain('(unnamed)')
    expect(refused([{ type: 'TABLE_FUNCTION' }])).toContain('(unnamed)')
  })

  it('admits no reader of arbitrary files and no function with side effects', () => {
    for (const name of [
      'read_csv',
      'read_text',
      'read_blob',
      'read_json',
      'glob',
      'query',
      'query_table',
      'enable_logging',
      'checkpoint',
      'read_parquet',
      'parquet_scan',
      'parquet_metadata',
      'parquet_schema',
      'parquet_file_metadata',
      'parquet_kv_metadata',
      'parquet_full_metadata',
      'duckdb_settings',
      'duckdb_views',
      'duckdb_databases',
      'duckdb_extensions',
      'duckdb_secrets',
      'which_secret',
      'duckdb_temporary_files',
      'pragma_database_list',
    ]) {
      expect(ALLOWED_TABLE_FUNCTIONS.has(name), name).toBe(false)
    }
  })
})

describe('resolveQueryConfig', () => {
  it('fills defaults and freezes', () => {
    const config = resolveQueryConfig()
    expect(config).toEqual(queryDefaults)
    expect(config).toMatchObject({ defaultLimit: 1000, maxRows: 100_000, timeoutMs: 10_000, maxQueued: 8, maxResultBytes: 8 * 1024 * 1024 })
    // Issue 12: a core (and a worker-pool thread) stays free for the event loop.
    const cores = availableParallelism()
    expect(config.connections).toBe(Math.max(1, Math.min(3, cores - 1)))
    expect(config.threads).toBe(Math.max(1, Math.min(4, cores - 1)))
    expect(config.memoryLimit).toBe(defaultMemoryLimit())
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('pulls the default limit down to a smaller maxRows', () => {
    expect(resolveQueryConfig({ maxRows: 50 }).defaultLimit).toBe(50)
  })

  it.each([
    [{ connections: 0 }, 'query.connections'],
    [{ timeoutMs: 1.5 }, 'query.timeoutMs'],
    [{ maxRows: 0 }, 'query.maxRows'],
    [{ defaultLimit: 2000, maxRows: 1000 }, 'query.defaultLimit'],
    [{ memoryLimit: '50%' }, 'query.memoryLimit'],
    [{ threads: 0 }, 'query.threads'],
    [{ maxResultBytes: 100 }, 'query.maxResultBytes'],
    [{ maxQueued: -1 }, 'query.maxQueued'],
    [{ retryAfterSeconds: 0 }, 'query.retryAfterSeconds'],
  ])('refuses %j at boot with CONFIG_INVALID', (input, key) => {
    expect(() => resolveQueryConfig(input)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', extensions: { key } }))
  })
})

describe('error registry', () => {
  it('pins the codes and their statuses', () => {
    expect(Object.fromEntries(Object.entries(queryErrors.specs).map(([code, spec]) => [code, spec.status]))).toEqual({
      QUERY_INVALID_LIMIT: 400,
      QUERY_EMPTY: 400,
      QUERY_MULTIPLE_STATEMENTS: 400,
      QUERY_INVALID: 400,
      QUERY_FORBIDDEN: 403,
      QUERY_TIMEOUT: 504,
      QUERY_BUSY: 503,
      QUERY_RESULT_TOO_LARGE: 413,
      QUERY_OUT_OF_MEMORY: 503,
      QUERY_UNAVAILABLE: 503,
    })
  })

  it('documents every code in docs/query.md', () => {
    const doc = readFileSync(new URL('../../../docs/query.md', import.meta.url), 'utf8')
    for (const code of Object.keys(queryErrors.specs)) expect(doc, code).toContain(`\`${code}\``)
  })
})
