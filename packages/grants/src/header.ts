import { GRANT_HEADER } from './contract.ts'

/** The `Lakehouse-Grant` token of a request, or undefined when absent or blank. */
export function grantFromRequest(req: Request): string | undefined {
  const value = req.headers.get(GRANT_HEADER)?.trim()
  return value === undefined || value === '' ? undefined : value
}
