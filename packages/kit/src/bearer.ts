/**
 * The bearer-token contract between the server (gateway, host) and every client Lakehouse
 * ships (the CLI, `pnpm parity`, `pnpm load`). One owner, so the variable name, the scheme
 * and the token rules cannot drift between the side that checks and the sides that send.
 */

/** The environment variable holding the primary token (the server's name is configurable with --auth-token-env). */
export const AUTH_TOKEN_ENV = 'LAKEHOUSE_AUTH_TOKEN'

/** Comma-separated secondary tokens, accepted beside the primary during a rotation: `<primary variable>_SECONDARY`. */
export function secondaryTokensEnv(primaryEnv: string): string {
  return `${primaryEnv}_SECONDARY`
}

/** Short tokens can be guessed; 16 characters is 96 bits even in base64. */
export const MIN_TOKEN_LENGTH = 16

// RFC 6750 §2.1 b64token: what may follow "Bearer " on the wire.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/

/** Why `token` cannot be a bearer token, or undefined. Never quotes the token itself. */
export function tokenProblem(token: string): string | undefined {
  if (!B64TOKEN.test(token)) return 'may only contain letters, digits and - . _ ~ + / (then optional =), with no spaces'
  if (token.length < MIN_TOKEN_LENGTH) return `must be at least ${MIN_TOKEN_LENGTH} characters (for example: openssl rand -hex 32)`
  return undefined
}

export function bearerAuthorization(token: string): string {
  return `Bearer ${token}`
}

/** The token in an `Authorization` header; the scheme is case-insensitive (RFC 9110 §11.1). */
export function bearerTokenOf(authorization: string | null | undefined): string | undefined {
  if (authorization == null) return undefined
  const m = /^bearer +(\S+) *$/i.exec(authorization)
  return m?.[1]
}

/** What a client sends: its --token flag, else the shared variable, else nothing. */
export function clientToken(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (flag !== undefined && flag !== '') return flag
  const fromEnv = env[AUTH_TOKEN_ENV]
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv
}

/**
 * The token the processes of a split deployment present to each other (proxied requests and
 * the internal seam routes). Separate from the API tokens: internal routes change what HTTP
 * clients may not (a catalog replace, a grant consumption), so holding an API token must not
 * be enough to call them.
 */
export const SERVICE_TOKEN_ENV = 'LAKEHOUSE_SERVICE_TOKEN'
