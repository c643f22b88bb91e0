import { type Check, intBetween, resolveWith } from '@lakehouse/kit'

export interface GrantsConfig {
  /**
   * Serve `POST /v1/grants` (mint) and `DELETE /v1/grants/{id}` (revoke). Off by default:
   * whoever can read the key file is the authority and mints with `lakehouse grant mint`; the
   * HTTP routes exist for tests and parity runs.
   */
  readonly httpMint: boolean
  /** Largest request body accepted, in bytes; a grant request is a few hundred. */
  readonly maxBodyBytes: number
  /** Deepest array/object nesting accepted in a request body. */
  readonly maxJsonDepth: number
}

export const grantsDefaults: GrantsConfig = Object.freeze({
  httpMint: false,
  maxBodyBytes: 16 * 1024,
  maxJsonDepth: 8,
})

const isBoolean: Check<boolean> = (v) => (typeof v === 'boolean' ? undefined : `must be true or false, got ${String(v)}`)

export function resolveGrantsConfig(input?: Partial<GrantsConfig>): Readonly<GrantsConfig> {
  return resolveWith(
    grantsDefaults,
    input,
    { httpMint: isBoolean, maxBodyBytes: intBetween(1024, 1024 * 1024), maxJsonDepth: intBetween(2, 64) },
    'grants.',
  )
}
