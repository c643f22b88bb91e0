import { createRouter, type Handler, type JsonBodyLimits, jsonResponse, kitErrors, type ProblemEntry, readJsonBody } from '@lakehouse/kit'
import type { GrantsConfig } from './config.ts'
import { grantErrors } from './errors.ts'
import { parseGrantTtl } from './ttl.ts'
import type { GrantAuthority } from './types.ts'

/** Where the gateway mounts grants; routes are registered on full paths because requests arrive untouched. */
export const GRANTS_MOUNT = '/v1/grants'

type Body = Record<string, unknown>

/**
 * The body must be an object with exactly `members`, each of the given JSON type; anything else
 * is HTTP_INVALID_REQUEST listing every problem. Values are checked further by the authority.
 */
function checkBody(value: unknown, members: Readonly<Record<string, 'string' | 'string or number'>>): Body {
  const errors: ProblemEntry[] = []
  const push = (field: string, reason: string, message: string) => errors.push({ kind: 'schema', field, reason, message })
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    push('$', 'type', '$ must be an object')
  } else {
    const body = value as Body
    for (const [name, type] of Object.entries(members)) {
      const v = body[name]
      const ok = typeof v === 'string' || (type === 'string or number' && typeof v === 'number')
      if (v === undefined) push(`$.${name}`, 'required', `$.${name} is required`)
      else if (!ok) push(`$.${name}`, 'type', `$.${name} must be a ${type}`)
    }
    for (const name of Object.keys(body)) {
      if (!(name in members)) push(`$.${name}`, 'additional_property', `$.${name} is not a known member`)
    }
  }
  if (errors.length > 0) {
    throw kitErrors.problem('HTTP_INVALID_REQUEST', { detail: `${errors.length} problem(s) with the request body`, errors })
  }
  return value as Body
}

export function createGrantsHandler(authority: GrantAuthority, config: Readonly<GrantsConfig>): Handler {
  const limits: JsonBodyLimits = { maxBytes: config.maxBodyBytes, maxDepth: config.maxJsonDepth }
  // Checked before the body is read, so the answer does not depend on what was sent.
  const requireHttpMint = (what: string) => {
    if (!config.httpMint) {
      throw grantErrors.problem('GRANT_MINT_DISABLED', {
        detail: `${what} grants over HTTP is disabled (grants.httpMint); use \`lakehouse grant\` on the host that holds the key`,
      })
    }
  }
  return createRouter()
    .get(GRANTS_MOUNT, async () => jsonResponse({ grants: await authority.list() }))
    .post(GRANTS_MOUNT, async ({ req }) => {
      requireHttpMint('minting')
      const body = checkBody(await readJsonBody(req, limits), { scope: 'string', ttl: 'string or number' })
      const minted = await authority.mint(body.scope as string, parseGrantTtl(body.ttl))
      return jsonResponse(minted, 201)
    })
    .post(`${GRANTS_MOUNT}/verify`, async ({ req }) => {
      const body = checkBody(await readJsonBody(req, limits), { token: 'string', scope: 'string' })
      const grant = await authority.verify(body.token as string, body.scope as string)
      return jsonResponse({ valid: true, grant })
    })
    .delete(`${GRANTS_MOUNT}/:id`, async ({ param }) => {
      requireHttpMint('revoking')
      return jsonResponse(await authority.revoke(param('id')))
    })
    .build()
}
