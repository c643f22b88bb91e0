import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { QueryService } from '../src/index.ts'
import { type Sandbox, sandbox, sql } from './helpers.ts'

let box: Sandbox
let svc: QueryService

beforeAll(async () => {
  box = await sandbox()
  await box.addDataset(
    'typed',
    `SELECT 9007199254740993::BIGINT AS big, 42::BIGINT AS small, 1.5::DOUBLE AS dbl, true AS flag, DATE '2024-02-29' AS day,
       TIMESTAMP '2024-01-02 03:04:05.123456' AS ts, 'a "quoted", comma' AS txt, 123.450::DECIMAL(18,3) AS amount`,
  )
  svc = await box.service()
})
afterAll(() => box.cleanup())

/** The exact bytes of `columns` and `rows` in the response, for one single-column query. */
async function cell(expression: string): Promise<{ type: string; json: string }> {
  const r = await sql(svc, `SELECT ${expression} AS v`)
  expect(r.status, r.text).toBe(200)
  const match = /^\{"columns":\[\{"name":"v","type":"((?:[^"\\]|\\.)*)"\}\],"rows":\[\[(.*)\]\],"row_count":1,"truncated":false\}$/s.exec(
    r.text,
  )
  expect(match, r.text).not.toBeNull()
  return { type: JSON.parse(`"${match?.[1]}"`), json: match?.[2] ?? '' }
}

describe('result types on the wire (exact response bytes)', () => {
  it.each([
    ['true', 'BOOLEAN', 'true'],
    ['(-128)::TINYINT', 'TINYINT', '-128'],
    ['32767::SMALLINT', 'SMALLINT', '32767'],
    ['(-2147483648)::INTEGER', 'INTEGER', '-2147483648'],
    ['255::UTINYINT', 'UTINYINT', '255'],
    ['65535::USMALLINT', 'USMALLINT', '65535'],
    ['4294967295::UINTEGER', 'UINTEGER', '4294967295'],
    ['9007199254740991::BIGINT', 'BIGINT', '9007199254740991'],
    ['(-9007199254740991)::BIGINT', 'BIGINT', '-9007199254740991'],
    ['9007199254740992::BIGINT', 'BIGINT', '"9007199254740992"'],
    ['(-9223372036854775808)::BIGINT', 'BIGINT', '"-9223372036854775808"'],
    ['18446744073709551615::UBIGINT', 'UBIGINT', '"18446744073709551615"'],
    ['170141183460469231731687303715884105727::HUGEINT', 'HUGEINT', '"170141183460469231731687303715884105727"'],
    ['12::HUGEINT', 'HUGEINT', '12'],
    ['340282366920938463463374607431768211455::UHUGEINT', 'UHUGEINT', '"340282366920938463463374607431768211455"'],
    ['count(*)', 'BIGINT', '1'],
    ['123.450::DECIMAL(18,3)', 'DECIMAL(18,3)', '"123.450"'],
    ['(-0.5)::DECIMAL(4,1)', 'DECIMAL(4,1)', '"-0.5"'],
    ['12345678901234567890.1234567890::DECIMAL(38,10)', 'DECIMAL(38,10)', '"12345678901234567890.1234567890"'],
    ['7::DECIMAL(9,0)', 'DECIMAL(9,0)', '"7"'],
    ['1.5::DOUBLE', 'DOUBLE', '1.5'],
    ['0.1::DOUBLE + 0.2::DOUBLE', 'DOUBLE', '0.30000000000000004'],
    ["'nan'::DOUBLE", 'DOUBLE', 'null'],
    ["'infinity'::DOUBLE", 'DOUBLE', 'null'],
    ["'-infinity'::DOUBLE", 'DOUBLE', 'null'],
    ['0.1::FLOAT', 'FLOAT', '0.1'],
    ['16777217::FLOAT', 'FLOAT', '16777216'],
    ["'nan'::FLOAT", 'FLOAT', 'null'],
    ['\'héllo "wörld"\n\\t\'', 'VARCHAR', '"héllo \\"wörld\\"\\n\\\\t"'],
    ['\'{"a": 1}\'::JSON', 'JSON', '"{\\"a\\": 1}"'],
    ["'\\xDE\\xAD\\xBE\\xEF'::BLOB", 'BLOB', '"3q2+7w=="'],
    ["''::BLOB", 'BLOB', '""'],
    ["'5c8b0b37-2f4e-4f25-9d4c-6e0f8a3b9c1d'::UUID", 'UUID', '"5c8b0b37-2f4e-4f25-9d4c-6e0f8a3b9c1d"'],
    ["DATE '2024-02-29'", 'DATE', '"2024-02-29"'],
    ["DATE '1969-12-31'", 'DATE', '"1969-12-31"'],
    ["DATE '0001-01-01' - 1", 'DATE', '"0000-12-31"'],
    // Astronomical years, as ISO 8601: DuckDB's "0045-03-15 (BC)" is year -44.
    ["DATE '0045-03-15 (BC)'", 'DATE', '"-0044-03-15"'],
    ["DATE '10000-01-01'", 'DATE', '"10000-01-01"'],
    ["'infinity'::DATE", 'DATE', '"infinity"'],
    ["'-infinity'::DATE", 'DATE', '"-infinity"'],
    ["TIMESTAMP '2024-01-02 03:04:05.123456'", 'TIMESTAMP', '"2024-01-02T03:04:05.123456Z"'],
    ["TIMESTAMP '2024-01-02 03:04:05.1'", 'TIMESTAMP', '"2024-01-02T03:04:05.100000Z"'],
    ["TIMESTAMP '2024-01-02 03:04:05'", 'TIMESTAMP', '"2024-01-02T03:04:05Z"'],
    ["TIMESTAMP '1969-12-31 23:59:59.999999'", 'TIMESTAMP', '"1969-12-31T23:59:59.999999Z"'],
    ["TIMESTAMP '1900-03-01 00:00:00.000001'", 'TIMESTAMP', '"1900-03-01T00:00:00.000001Z"'],
    ["'infinity'::TIMESTAMP", 'TIMESTAMP', '"infinity"'],
    ["'-infinity'::TIMESTAMP", 'TIMESTAMP', '"-infinity"'],
    ["TIMESTAMP_S '2024-01-02 03:04:05'", 'TIMESTAMP_S', '"2024-01-02T03:04:05Z"'],
    ["TIMESTAMP_MS '2024-01-02 03:04:05.12'", 'TIMESTAMP_MS', '"2024-01-02T03:04:05.120Z"'],
    ["TIMESTAMP_NS '2024-01-02 03:04:05.123456789'", 'TIMESTAMP_NS', '"2024-01-02T03:04:05.123456789Z"'],
    ["TIMESTAMP_NS '1969-12-31 23:59:59.999999999'", 'TIMESTAMP_NS', '"1969-12-31T23:59:59.999999999Z"'],
    ["TIMESTAMPTZ '2024-01-02 03:04:05.5+02'", 'TIMESTAMP WITH TIME ZONE', '"2024-01-02T01:04:05.500000Z"'],
    ["TIME '12:34:56.789'", 'TIME', '"12:34:56.789000"'],
    ["TIME '01:02:03'", 'TIME', '"01:02:03"'],
    ["TIME '24:00:00'", 'TIME', '"24:00:00"'],
    ["TIMETZ '12:00:00+05:30'", 'TIME WITH TIME ZONE', '"12:00:00+05:30"'],
    ["TIMETZ '23:59:59.5-08'", 'TIME WITH TIME ZONE', '"23:59:59.500000-08:00"'],
    ["INTERVAL '1 year 2 months 3 days 04:05:06.789'", 'INTERVAL', '"1 year 2 months 3 days 04:05:06.789"'],
    ['[1, 2, NULL]', 'INTEGER[]', '[1,2,null]'],
    ['[[1.5::DECIMAL(3,1)], []]', 'DECIMAL(3,1)[][]', '[["1.5"],[]]'],
    ['[9007199254740993::BIGINT]', 'BIGINT[]', '["9007199254740993"]'],
    ['[1, 2, 3]::INTEGER[3]', 'INTEGER[3]', '[1,2,3]'],
    [
      "{'a': 1, 'b': [DATE '2024-01-01'], 'c': {'d': TIMESTAMP '2024-01-01 00:00:00.5'}}",
      'STRUCT("a" INTEGER, "b" DATE[], "c" STRUCT("d" TIMESTAMP))',
      '{"a":1,"b":["2024-01-01"],"c":{"d":"2024-01-01T00:00:00.500000Z"}}',
    ],
    // @duckdb/node-api loses a field named __proto__ (it assigns fields); it must not become a prototype.
    ["{'__proto__': 1}", 'STRUCT("__proto__" INTEGER)', '{"__proto__":null}'],
    ["MAP {'k': 1, 'j': NULL}", 'MAP(VARCHAR, INTEGER)', '[{"key":"k","value":1},{"key":"j","value":null}]'],
    ['MAP {1: 2.5::DECIMAL(2,1)}', 'MAP(INTEGER, DECIMAL(2,1))', '[{"key":1,"value":"2.5"}]'],
    ["'b'::ENUM('a', 'b')", "ENUM('a', 'b')", '"b"'],
    ['union_value(num := 2)', 'UNION("num" INTEGER)', '{"tag":"num","value":2}'],
    ["'101'::BIT", 'BIT', '"101"'],
    ['NULL', '"NULL"', 'null'],
    ['NULL::TIMESTAMP', 'TIMESTAMP', 'null'],
    ['[NULL::DATE]', 'DATE[]', '[null]'],
  ])('%s → %s %s', async (expression, type, json) => {
    const got = await cell(expression)
    expect(got.json).toBe(json)
    if (!type.startsWith('"')) expect(got.type).toBe(type)
  })

  it('carries the types of a Parquet view as ingest writes them', async () => {
    const r = await sql(svc, 'SELECT * FROM typed')
    expect(r.text).toBe(
      '{"columns":[{"name":"big","type":"BIGINT"},{"name":"small","type":"BIGINT"},{"name":"dbl","type":"DOUBLE"},{"name":"flag","type":"BOOLEAN"},' +
        '{"name":"day","type":"DATE"},{"name":"ts","type":"TIMESTAMP"},{"name":"txt","type":"VARCHAR"},{"name":"amount","type":"DECIMAL(18,3)"}],' +
        '"rows":[["9007199254740993",42,1.5,true,"2024-02-29","2024-01-02T03:04:05.123456Z","a \\"quoted\\", comma","123.450"]],"row_count":1,"truncated":false}',
    )
  })
})

describe('timestamps are exact to the stored unit', () => {
  // DuckDB's own strftime is the reference; %f is 6 digits of microseconds. (%n, nanoseconds, is
  // garbled by DuckDB 1.5.6's strftime — "…19.076358Z52\0" — so the ns fraction is built from epoch_ns.)
  const spread = 'hash(i) % 315537897600000000'
  it('matches DuckDB for 2,000 TIMESTAMPs across years 1..9999', async () => {
    const r = await sql(svc, {
      sql: `SELECT ts, CASE WHEN epoch_us(ts) % 1000000 = 0 THEN strftime(ts, '%Y-%m-%dT%H:%M:%SZ') ELSE strftime(ts, '%Y-%m-%dT%H:%M:%S.%fZ') END
            FROM (SELECT TIMESTAMP '0001-01-01' + to_microseconds((${spread})::BIGINT) AS ts FROM range(2000) t(i))
            WHERE year(ts) >= 1000`,
      limit: 5000,
    })
    expect(r.status, r.text).toBe(200)
    expect(r.body.row_count).toBeGreaterThan(1500)
    for (const [got, want] of r.body.rows) expect(got).toBe(want)
  })

  it('matches DuckDB for TIMESTAMP_NS and DATE', async () => {
    const r = await sql(svc, {
      sql: `SELECT ts, CASE WHEN epoch_ns(ts) % 1000000000 = 0 THEN strftime(ts, '%Y-%m-%dT%H:%M:%SZ') ELSE strftime(ts, '%Y-%m-%dT%H:%M:%S.') || lpad(((epoch_ns(ts) % 1000000000 + 1000000000) % 1000000000)::VARCHAR, 9, '0') || 'Z' END,
                   ts::DATE, strftime(ts::DATE, '%Y-%m-%d')
            FROM (SELECT make_timestamp_ns((hash(i) % 8000000000000000000)::BIGINT - 4000000000000000000) AS ts FROM range(1000) t(i))`,
      limit: 5000,
    })
    expect(r.status, r.text).toBe(200)
    for (const [ns, nsWant, day, dayWant] of r.body.rows) {
      expect(ns).toBe(nsWant)
      expect(day).toBe(dayWant)
    }
  })
})
