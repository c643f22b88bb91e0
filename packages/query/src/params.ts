import { type DuckDBValue, listValue } from '@duckdb/node-api'
import type { QueryParam, QueryParams } from './types.ts'

/** JS parameters → DuckDB values; DuckDB infers each type (INTEGER/BIGINT/DOUBLE, HUGEINT for bigint, VARCHAR, LIST). */
function toDuckDB(param: QueryParam): DuckDBValue {
  return Array.isArray(param) ? listValue(param.map(toDuckDB)) : (param as DuckDBValue)
}

export function toDuckDBParams(params: QueryParams): DuckDBValue[] | Record<string, DuckDBValue> {
  if (Array.isArray(params)) return params.map(toDuckDB)
  return Object.fromEntries(Object.entries(params as Readonly<Record<string, QueryParam>>).map(([k, v]) => [k, toDuckDB(v)]))
}
