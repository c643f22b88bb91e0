import { type BodySchema, compileBodySchema } from '@lakehouse/kit'
import { DATASET_REPLACE_ANY, DATASET_REPLACE_PREFIX, SQL_WRITE_SCOPE } from './contract.ts'

/** `POST /v1/grants`: the shape; the scope's grammar (contract.ts) and the ttl's range (ttl.ts) are checked after it. */
export const MINT_REQUEST_SCHEMA: BodySchema = {
  type: 'object',
  required: ['scope', 'ttl'],
  additionalProperties: false,
  properties: {
    scope: { type: 'string', description: `${DATASET_REPLACE_PREFIX}<name> (or ${DATASET_REPLACE_ANY}) or ${SQL_WRITE_SCOPE}.` },
    ttl: {
      type: ['string', 'number'],
      description: 'How long the grant lives: a duration ("500ms", "10m", "1h") or whole milliseconds, 1 ms to 7 days.',
    },
  },
}

/** `POST /v1/grants/verify`: the shape; the token and scope are judged by the authority after it. */
export const VERIFY_REQUEST_SCHEMA: BodySchema = {
  type: 'object',
  required: ['token', 'scope'],
  additionalProperties: false,
  properties: {
    token: { type: 'string', description: 'The grant token (lhg1.<payload>.<mac>).' },
    scope: { type: 'string', description: 'The scope the operation requires.' },
  },
}

export const checkMintRequest = compileBodySchema<{ scope: string; ttl: string | number }>(MINT_REQUEST_SCHEMA)
export const checkVerifyRequest = compileBodySchema<{ token: string; scope: string }>(VERIFY_REQUEST_SCHEMA)
