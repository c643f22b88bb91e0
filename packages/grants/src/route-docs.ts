import type { BodySchema, RouteDoc } from '@lakehouse/kit'
import { checkMintRequest, checkVerifyRequest } from './request-body.ts'
import { GRANT_ID_PATTERN } from './token.ts'

const GRANT_ID: BodySchema = { type: 'string', pattern: GRANT_ID_PATTERN.source }
const TIMESTAMP: BodySchema = { type: 'string', format: 'date-time' }

/** GrantInfo (types.ts): never the token. */
const INFO_PROPERTIES: Record<string, BodySchema> = {
  id: GRANT_ID,
  scope: { type: 'string', description: 'dataset.replace:<name>, dataset.replace:* or sql.write.' },
  issued_at: TIMESTAMP,
  expires_at: TIMESTAMP,
}
const INFO_REQUIRED = Object.keys(INFO_PROPERTIES)

const GRANT_INFO: BodySchema = { type: 'object', required: INFO_REQUIRED, additionalProperties: false, properties: INFO_PROPERTIES }

const GRANT_LISTING: BodySchema = {
  type: 'object',
  required: [...INFO_REQUIRED, 'status'],
  additionalProperties: false,
  properties: {
    ...INFO_PROPERTIES,
    status: {
      type: 'string',
      enum: ['live', 'expired', 'consumed', 'revoked'],
      description: '`expired` is a live grant past its expiry.',
    },
  },
}

// Minting, consuming and revoking append to the audit journal first; a refused append fails the operation.
const JOURNAL_FAILURES = ['JOURNAL_WRITE_FAILED', 'JOURNAL_LOCK_TIMEOUT', 'JOURNAL_CLOSED']

export const LIST_GRANTS_DOC: RouteDoc = {
  summary: 'List every grant this data directory knows',
  description: 'Oldest first; tokens are never listed (docs/grants.md).',
  responses: {
    200: {
      description: 'The grants and their state.',
      schema: {
        type: 'object',
        required: ['grants'],
        additionalProperties: false,
        properties: { grants: { type: 'array', items: GRANT_LISTING } },
      },
    },
  },
  errors: [],
}

export const MINT_GRANT_DOC: RouteDoc = {
  summary: 'Mint a one-shot escape grant',
  description:
    'Only when grants config `httpMint` is on (off by default: mint with `lakehouse grant mint` on the host that holds the key). The answer is the only time the token is shown (docs/grants.md).',
  body: checkMintRequest,
  responses: {
    201: {
      description: 'Minted; the token authorises one operation of its scope until it expires.',
      schema: {
        type: 'object',
        required: ['token', ...INFO_REQUIRED],
        additionalProperties: false,
        properties: { token: { type: 'string', description: 'lhg1.<payload>.<mac>' }, ...INFO_PROPERTIES },
      },
    },
  },
  errors: ['GRANT_MINT_DISABLED', 'GRANT_INVALID_SCOPE', 'GRANT_INVALID_TTL', ...JOURNAL_FAILURES],
}

export const VERIFY_GRANT_DOC: RouteDoc = {
  summary: 'Check a grant for a scope without consuming it',
  body: checkVerifyRequest,
  responses: {
    200: {
      description: 'The grant would be accepted for the scope now.',
      schema: {
        type: 'object',
        required: ['valid', 'grant'],
        additionalProperties: false,
        properties: { valid: { const: true }, grant: GRANT_INFO },
      },
    },
  },
  errors: [
    'GRANT_INVALID_SCOPE',
    'GRANT_MALFORMED',
    'GRANT_TAMPERED',
    'GRANT_SCOPE_MISMATCH',
    'GRANT_REUSED',
    'GRANT_REVOKED',
    'GRANT_UNKNOWN',
    'GRANT_EXPIRED',
  ],
}

export const REVOKE_GRANT_DOC: RouteDoc = {
  summary: 'Revoke a grant before it is used',
  description: 'Only when `httpMint` is on. Revoking a revoked grant answers the same again; a consumed one cannot be revoked.',
  pathParams: {
    id: { description: 'The grant id (32 lowercase hex characters); any other id answers 404 GRANT_NOT_FOUND.', schema: GRANT_ID },
  },
  responses: { 200: { description: 'The grant, now revoked.', schema: GRANT_LISTING } },
  errors: ['GRANT_MINT_DISABLED', 'GRANT_NOT_FOUND', 'GRANT_REUSED', ...JOURNAL_FAILURES],
}
