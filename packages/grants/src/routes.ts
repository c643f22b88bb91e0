import { createRouter, type Handler, jsonBodyLimits, jsonResponse, readJsonBody } from '@lakehouse/kit'
import type { GrantsConfig } from './config.ts'
import { grantErrors } from './errors.ts'
import { checkMintRequest, checkVerifyRequest } from './request-body.ts'
import { LIST_GRANTS_DOC, MINT_GRANT_DOC, REVOKE_GRANT_DOC, VERIFY_GRANT_DOC } from './route-docs.ts'
import { parseGrantTtl } from './ttl.ts'
import type { GrantAuthority } from './types.ts'

/** Where the gateway mounts grants; routes are registered on full paths because requests arrive untouched. */
export const GRANTS_MOUNT = '/v1/grants'

export function createGrantsHandler(authority: GrantAuthority, config: Readonly<GrantsConfig>): Handler {
  const limits = jsonBodyLimits(config)
  // Checked before the body is read, so the answer does not depend on what was sent.
  const requireHttpMint = (what: string) => {
    if (!config.httpMint) {
      throw grantErrors.problem('GRANT_MINT_DISABLED', {
        detail: `${what} grants over HTTP is disabled (grants.httpMint); use \`lakehouse grant\` on the host that holds the key`,
      })
    }
  }
  return createRouter()
    .get(GRANTS_MOUNT, LIST_GRANTS_DOC, async () => jsonResponse({ grants: await authority.list() }))
    .post(GRANTS_MOUNT, MINT_GRANT_DOC, async ({ req }) => {
      requireHttpMint('minting')
      const { scope, ttl } = checkMintRequest(await readJsonBody(req, limits))
      const minted = await authority.mint(scope, parseGrantTtl(ttl))
      return jsonResponse(minted, 201)
    })
    .post(`${GRANTS_MOUNT}/verify`, VERIFY_GRANT_DOC, async ({ req }) => {
      const { token, scope } = checkVerifyRequest(await readJsonBody(req, limits))
      const grant = await authority.verify(token, scope)
      return jsonResponse({ valid: true, grant })
    })
    .delete(`${GRANTS_MOUNT}/:id`, REVOKE_GRANT_DOC, async ({ param }) => {
      requireHttpMint('revoking')
      return jsonResponse(await authority.revoke(param('id')))
    })
    .build()
}
