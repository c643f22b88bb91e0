export { type DuckDbOptions, duckDbSettings, openDuckDb, SHARED_SETTINGS } from './open.ts'
export { quoteIdentifier, quoteLiteral } from './sql-text.ts'
