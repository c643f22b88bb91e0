import { defineErrors } from '@lakehouse/kit'
import { DATASET_NAME_PATTERN, DATASET_REPLACE_PREFIX, SQL_WRITE_SCOPE } from './contract.ts'

/**
 * The grants codes. Every refusal has its own code because the caller's next step differs:
 * a malformed or tampered token is a bug or an attack, an expired one needs a fresh mint, a
 * reused one means somebody else already ran the escaped operation.
 */
export const grantErrors = defineErrors('grants', {
  GRANT_MALFORMED: {
    status: 400,
    title: 'Grant Malformed',
    description:
      'The token is not `lhg1.<payload>.<mac>`: wrong number of parts or prefix, a part that is not canonical base64url, a MAC that is not 32 bytes, or (behind a valid MAC) a payload that is not the expected JSON.',
  },
  GRANT_TAMPERED: {
    status: 403,
    title: 'Grant Tampered',
    description:
      'The MAC does not match the payload under the key of this data directory: the token was altered or signed with another key. Checked before any payload field is read.',
  },
  GRANT_EXPIRED: {
    status: 403,
    title: 'Grant Expired',
    description: 'The `exp` of the grant has passed. An expired grant is never consumed; mint a new one.',
  },
  GRANT_SCOPE_MISMATCH: {
    status: 403,
    title: 'Grant Scope Mismatch',
    description: 'The grant is genuine but for another scope than the operation requires (`dataset.replace:*` covers every dataset).',
  },
  GRANT_REUSED: {
    status: 409,
    title: 'Grant Already Consumed',
    description:
      'The grant was already consumed (by another request or process, or earlier by this one); a grant works once. Also returned when revoking a consumed grant.',
  },
  GRANT_REVOKED: {
    status: 403,
    title: 'Grant Revoked',
    description: 'The grant was revoked before it was used.',
  },
  GRANT_UNKNOWN: {
    status: 403,
    title: 'Grant Unknown',
    description:
      'The MAC is valid but this data directory has no record of the grant (live, consumed or revoked): it was minted against another data directory sharing the key, or its record was removed.',
  },
  GRANT_INVALID_SCOPE: {
    status: 400,
    title: 'Invalid Grant Scope',
    description: `The scope is not one of \`${DATASET_REPLACE_PREFIX}<name>\` (name \`${DATASET_NAME_PATTERN.source}\` or \`*\`) or \`${SQL_WRITE_SCOPE}\`.`,
  },
  GRANT_INVALID_TTL: {
    status: 400,
    title: 'Invalid Grant TTL',
    description: 'The ttl is not a duration (`500ms`, `10m`, `1h`) or a whole number of milliseconds between 1 ms and 7 days.',
  },
  GRANT_NOT_FOUND: {
    status: 404,
    title: 'Grant Not Found',
    description: 'No grant with that id exists in this data directory (revoke of an unknown id).',
  },
  GRANT_KEY_UNAVAILABLE: {
    status: 503,
    title: 'Grant Key Unavailable',
    description:
      'The secret key (`<data dir>/secret.key`) is missing, not a regular file, not mode 0600 or not 64 lowercase hex characters; `path` and `fix` say which and what to run (`lakehouse provision`).',
  },
  GRANT_MINT_DISABLED: {
    status: 403,
    title: 'Grant Minting Disabled',
    description:
      'Minting and revoking over HTTP is off (grants config `httpMint`, default false): whoever holds the key file is the authority, so mint with `lakehouse grant mint`.',
  },
})

export type GrantErrorCode = keyof typeof grantErrors.specs
