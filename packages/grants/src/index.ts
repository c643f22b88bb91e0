export { type GrantsConfig, grantsDefaults, resolveGrantsConfig } from './config.ts'
export {
  DATASET_NAME_PATTERN,
  DATASET_REPLACE_ANY,
  DATASET_REPLACE_PREFIX,
  GRANT_CHECK_ERRORS,
  GRANT_HEADER,
  isDatasetName,
  isGrantScope,
  replaceScope,
  SCOPE_GRAMMAR,
  SQL_WRITE_SCOPE,
  scopeSatisfies,
} from './contract.ts'
export { type GrantErrorCode, grantErrors } from './errors.ts'
export { createGrantAuthority, GRANT_JOURNAL_KINDS, GRANTS_JOURNAL_STORE, type GrantAuthorityOptions } from './grants.ts'
export { grantFromRequest } from './header.ts'
export { loadGrantKey } from './key.ts'
export { GRANTS_MOUNT } from './routes.ts'

export { createGrantsService, type GrantsDeps, type GrantsService } from './service.ts'
export { GRANT_ID_PATTERN, GRANT_KEY_BYTES, MAC_CONTEXT, TOKEN_PREFIX } from './token.ts'
export { MAX_GRANT_TTL_MS, MIN_GRANT_TTL_MS, parseGrantTtl } from './ttl.ts'
export type { GrantAuthority, GrantInfo, GrantListing, GrantScope, GrantStatus, MintedGrant } from './types.ts'
