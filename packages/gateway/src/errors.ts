import { configErrors, type ErrorRegistry, kitErrors } from '@lakehouse/kit'
import { provisionErrors } from '@lakehouse/provision'
import { validatorErrors } from '@lakehouse/validator'

/** Every code the composed service can return or raise; docs/errors.md is checked against it. */
export const ERROR_REGISTRIES: readonly ErrorRegistry<string>[] = [kitErrors, configErrors, provisionErrors, validatorErrors]
