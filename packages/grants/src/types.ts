/** A scope string: `dataset.replace:<name>`, `dataset.replace:*` or `sql.write`. */
export type GrantScope = string

/** What a grant allows and for how long; times are ISO-8601 UTC. Never carries the token. */
export interface GrantInfo {
  readonly id: string
  readonly scope: GrantScope
  readonly issued_at: string
  readonly expires_at: string
}

/** The answer to a mint: the only moment the token exists outside its holder. */
export interface MintedGrant {
  readonly token: string
  readonly id: string
  readonly scope: GrantScope
  readonly issued_at: string
  readonly expires_at: string
}

/** `expired` is a live record past its `exp`; the other three are the directory the record is in. */
export type GrantStatus = 'live' | 'expired' | 'consumed' | 'revoked'

export interface GrantListing extends GrantInfo {
  readonly status: GrantStatus
}

export interface GrantAuthority {
  /** The grants directory (`<data dir>/grants`). */
  readonly dir: string
  /** Writes a live record (durable on return) and signs a token for it. */
  mint(scope: GrantScope, ttlMs: number): Promise<MintedGrant>
  /** Checks the token as `consume` would, without consuming it. */
  verify(token: string, scope: GrantScope): Promise<GrantInfo>
  /** Verifies, then claims the grant by one rename; among concurrent consumers exactly one resolves. */
  consume(token: string, scope: GrantScope): Promise<GrantInfo>
  /** Moves a live (or expired) grant to `revoked/`; revoking a revoked grant answers the same again. */
  revoke(id: string): Promise<GrantListing>
  /** Every grant this directory knows, oldest first. */
  list(): Promise<GrantListing[]>
}
