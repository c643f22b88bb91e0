import type { CalendarDate, Decimal } from '@lakehouse/kit'

/**
 * One cell of a result, ready for the kit codec: bigint stays bigint (the codec writes safe
 * integers as numbers and larger ones as strings), DECIMAL is a kit Decimal, DATE a kit
 * CalendarDate, timestamps and times are strings, nested types are arrays and objects.
 */
export type QueryValue = null | boolean | number | bigint | string | Decimal | CalendarDate | readonly QueryValue[] | QueryObject

export interface QueryObject {
  readonly [key: string]: QueryValue
}

export interface QueryColumn {
  readonly name: string
  /** DuckDB's type string, e.g. BIGINT, DECIMAL(18,3), TIMESTAMP WITH TIME ZONE, INTEGER[]. */
  readonly type: string
}

export interface QueryResult {
  readonly columns: readonly QueryColumn[]
  readonly rows: readonly (readonly QueryValue[])[]
  readonly row_count: number
  /** More rows existed than the limit; only `limit` of them were read. */
  readonly truncated: boolean
}

export interface QueryOptions {
  /** 0..maxRows; default `defaultLimit`. */
  readonly limit?: number
}

/** A bound parameter value; arrays become DuckDB LISTs. */
export type QueryParam = null | boolean | number | bigint | string | readonly QueryParam[]

/** Positional (`$1`, `?`) or named (`$ids`) parameters. */
export type QueryParams = readonly QueryParam[] | Readonly<Record<string, QueryParam>>

export interface ViewError {
  readonly name: string
  /** The reason, with absolute paths replaced by `<path>`. */
  readonly error: string
}

export interface QueryStats {
  /** Views currently live, one per queryable dataset. */
  readonly views: number
  /** Datasets whose view could not be built, sorted by name. */
  readonly viewErrors: readonly ViewError[]
}
