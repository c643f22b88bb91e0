import { catalogErrors } from '@lakehouse/catalog'
import { ingestErrors } from '@lakehouse/ingest'
import { configErrors, type ErrorRegistry, kitErrors } from '@lakehouse/kit'
import { provisionErrors } from '@lakehouse/provision'
import { queryErrors } from '@lakehouse/query'
import { storageErrors } from '@lakehouse/storage'
import { validatorErrors } from '@lakehouse/validator'

/** Every code the composed service can return or raise; docs/errors.md is checked against it. */
export const ERROR_REGISTRIES: readonly ErrorRegistry<string>[] = [
  kitErrors,
  configErrors,
  provisionErrors,
  storageErrors,
  catalogErrors,
  ingestErrors,
  queryErrors,
  validatorErrors,
]
