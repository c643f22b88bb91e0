/** The request header that carries a grant to an operation refused by default (lowercase: Headers are case-insensitive). */
export const GRANT_HEADER = 'lakehouse-grant'

/** The `Lakehouse-Grant` token of a request, or undefined when absent or blank. */
export function grantFromRequest(req: Request): string | undefined {
  const value = req.headers.get(GRANT_HEADER)?.trim()
  return value === undefined || value === '' ? undefined : value
}
