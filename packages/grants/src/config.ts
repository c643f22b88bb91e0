import { type Check, HTTP_LIMIT_CHECKS, type HttpLimits, resolveWith } from '@lakehouse/kit'

export interface GrantsConfig extends HttpLimits {
  /**
   * Serve `POST /v1/grants` (mint) and `DELETE /v1/grants/{id}` (revoke). Off by default:
   * whoever can read the key file is the authority and mints with `lakehouse grant mint`; the
   * HTTP routes exist for tests and parity runs.
   */
  readonly httpMint: boolean
}

export const grantsDefaults: GrantsConfig = Object.freeze({
  httpMint: false,
  maxBodyBytes: 16 * 1024,
  maxJsonDepth: 8,
})

const isBoolean: Check<boolean> = (v) => (typeof v === 'boolean' ? undefined : `must be true or false, got ${String(v)}`)

export function resolveGrantsConfig(input?: Partial<GrantsConfig>): Readonly<GrantsConfig> {
  return resolveWith(grantsDefaults, input, { httpMint: isBoolean, ...HTTP_LIMIT_CHECKS }, 'grants.')
}
