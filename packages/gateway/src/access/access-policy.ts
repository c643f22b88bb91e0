import { GRANT_HEADER } from '@lakehouse/grants'
import { bearerTokenOf, problemResponse, quoteCallerText, REQUEST_ID_HEADER } from '@lakehouse/kit'
import { gatewayErrors } from './access-errors.ts'
import { createAddressAllowlist } from './address-allowlist.ts'
import { createHostAllowlist, LOOPBACK_HOST_NAMES } from './host-allowlist.ts'
import { createOriginGuard } from './origin-guard.ts'
import { createTokenCheck } from './token-check.ts'

/** Who may call the gateway over the network. The host resolves it from flags and env. */
export interface AccessConfig {
  /** Primary token first, then the secondaries of a rotation; empty = no authentication (loopback only). */
  readonly tokens: readonly string[]
  /** CIDR ranges or addresses; empty = every address. */
  readonly allowIps: readonly string[]
  /** Names the `Host` header may carry; `*` = any. */
  readonly allowedHosts: readonly string[]
  /** Browser origins that may change state and get CORS headers; none by default. */
  readonly allowedOrigins: readonly string[]
}

export const accessDefaults: AccessConfig = Object.freeze({
  tokens: [],
  allowIps: [],
  allowedHosts: LOOPBACK_HOST_NAMES,
  allowedOrigins: [],
})

/** What the runtime knows about the other end of the connection. */
export interface Peer {
  readonly address: string | undefined
}

export interface AccessPolicy {
  /** A refusal or a preflight answer, or undefined to let the request through. */
  admit(req: Request, path: string, peer: Peer): Response | undefined
  /** Adds CORS headers for a configured origin to the final response. */
  decorate(req: Request, res: Response): void
  /** For the config log line: shapes, never tokens. */
  describe(): Record<string, unknown>
}

/** `/health` answers every caller: probes and load balancers carry no token (DESIGN.md §5). */
const EXEMPT_PATH = '/health'

const CHALLENGE = 'Bearer realm="lakehouse"'

/**
 * The network edge, in the order that reveals least: the client address, the `Host` (DNS
 * rebinding), a CORS preflight (which browsers send without credentials), a foreign Origin
 * on a state-changing method, then the bearer token. In-process callers (observer
 * workflows) do not come through here.
 */
export function createAccessPolicy(config: AccessConfig): AccessPolicy {
  const addresses = config.allowIps.length === 0 ? undefined : createAddressAllowlist(config.allowIps)
  const hosts = createHostAllowlist(config.allowedHosts)
  const origins = createOriginGuard(config.allowedOrigins, {
    allowHeaders: ['authorization', 'content-type', REQUEST_ID_HEADER, GRANT_HEADER, 'if-match', 'if-none-match'],
    exposeHeaders: [REQUEST_ID_HEADER, 'location', 'etag', 'retry-after', 'www-authenticate'],
    maxAgeSeconds: 600,
  })
  const checkToken = config.tokens.length === 0 ? undefined : createTokenCheck(config.tokens)

  return {
    admit(req, path, peer) {
      if (path === EXEMPT_PATH) return undefined
      if (addresses !== undefined && !addresses.allows(peer.address)) {
        const who = peer.address === undefined ? 'an unknown address' : peer.address
        return problemResponse(gatewayErrors.problem('GATEWAY_ADDRESS_DENIED', { detail: `requests from ${who} are not allowed` }), path)
      }
      const host = req.headers.get('host')
      if (!hosts.allows(host)) {
        return problemResponse(
          gatewayErrors.problem('GATEWAY_HOST_NOT_ALLOWED', {
            detail: `this server does not answer for Host ${quoteCallerText(host ?? '')}; allowed: ${hosts.names.join(', ')} (add names with --allowed-hosts)`,
          }),
          path,
        )
      }
      if (origins.isPreflight(req)) {
        const headers = origins.preflightHeaders(req)
        if (headers === undefined) {
          return problemResponse(
            gatewayErrors.problem('GATEWAY_CROSS_ORIGIN', {
              detail: `origin ${quoteCallerText(req.headers.get('origin') ?? '')} is not allowed; allow it with --allow-origin`,
            }),
            path,
          )
        }
        return new Response(null, { status: 204, headers })
      }
      const foreign = origins.refusal(req)
      if (foreign !== undefined) return problemResponse(gatewayErrors.problem('GATEWAY_CROSS_ORIGIN', { detail: foreign }), path)
      if (checkToken !== undefined) {
        const authorization = req.headers.get('authorization')
        // A header in another scheme (Basic, say) is a wrong credential, not a missing one.
        const verdict = checkToken(authorization === null ? undefined : (bearerTokenOf(authorization) ?? ''))
        if (verdict === 'missing') {
          return problemResponse(
            gatewayErrors.problem('GATEWAY_TOKEN_MISSING', {
              detail: 'this server needs a bearer token: send Authorization: Bearer <token>',
              headers: { 'www-authenticate': CHALLENGE },
            }),
            path,
          )
        }
        if (verdict === 'invalid') {
          return problemResponse(
            gatewayErrors.problem('GATEWAY_TOKEN_INVALID', {
              detail: 'the bearer token is not accepted',
              headers: { 'www-authenticate': `${CHALLENGE}, error="invalid_token"` },
            }),
            path,
          )
        }
      }
      return undefined
    },
    decorate(req, res) {
      const headers = origins.corsHeaders(req)
      if (headers === undefined) return
      for (const [k, v] of Object.entries(headers)) res.headers.set(k, v)
    },
    describe: () => ({
      auth: config.tokens.length === 0 ? 'off' : `bearer (${config.tokens.length} token${config.tokens.length === 1 ? '' : 's'})`,
      allowIps: config.allowIps,
      allowedHosts: hosts.names,
      allowedOrigins: config.allowedOrigins,
    }),
  }
}
