import { catalogErrors } from '@lakehouse/catalog'
import { draftErrors } from '@lakehouse/draft'
import { embedErrors } from '@lakehouse/embed'
import { grantErrors } from '@lakehouse/grants'
import { ingestErrors } from '@lakehouse/ingest'
import { journalErrors } from '@lakehouse/journal'
import { configErrors, type ErrorRegistry, kitErrors } from '@lakehouse/kit'
import { matrixErrors } from '@lakehouse/matrix'
import { memoryErrors } from '@lakehouse/memory'
import { observerErrors } from '@lakehouse/observer'
import { providersErrors } from '@lakehouse/providers'
import { provisionErrors } from '@lakehouse/provision'
import { queryErrors } from '@lakehouse/query'
import { storageErrors } from '@lakehouse/storage'
import { validatorErrors } from '@lakehouse/validator'
import { vectorErrors } from '@lakehouse/vector'
import { gatewayErrors } from './access/access-errors.ts'
import { splitErrors } from './split/split-errors.ts'

/** Every code the composed service can return or raise; docs/errors.md is checked against it. */
export const ERROR_REGISTRIES: readonly ErrorRegistry<string>[] = [
  kitErrors,
  configErrors,
  gatewayErrors,
  splitErrors,
  provisionErrors,
  storageErrors,
  catalogErrors,
  ingestErrors,
  queryErrors,
  validatorErrors,
  providersErrors,
  embedErrors,
  vectorErrors,
  matrixErrors,
  draftErrors,
  journalErrors,
  grantErrors,
  memoryErrors,
  observerErrors,
]
