import type { Handler } from '@lakehouse/kit'
import { resolveValidatorConfig, type ValidatorConfig } from './config.ts'
import { createValidatorHandler } from './routes.ts'
import type { BatchResult, ValidationItem, ValidationResult } from './types.ts'
import { createValidator } from './validator.ts'
import { createInMemoryWorkerLookup, type WorkerLookup } from './worker-lookup.ts'

export interface ValidatorDeps {
  /** Resolves candidate ids for the `fill` kind. */
  readonly workers?: WorkerLookup
}

export interface ValidatorService {
  /** Serves `POST /v1/validate` and `POST /v1/validate/batch` on their full paths. */
  readonly handler: Handler
  /** Invalid payload → `valid: false`; unknown kind, non-object payload or uncompilable schema → throws a 400 Problem. */
  validate(kind: string, payload: unknown): Promise<ValidationResult>
  /** 1..maxBatchItems items, else throws a 400 Problem; items that cannot be checked come back invalid. */
  validateBatch(items: readonly ValidationItem[]): Promise<BatchResult>
  close(): Promise<void>
}

export function createValidatorService(config?: Partial<ValidatorConfig>, deps: ValidatorDeps = {}): ValidatorService {
  const resolved = resolveValidatorConfig(config)
  // The workers dataset arrives with a later issue (a DuckDB-backed lookup injected by the
  // gateway). Until then nothing is known, so every candidate id of a fill is `unknown_candidate`.
  const workers = deps.workers ?? createInMemoryWorkerLookup([])
  const validator = createValidator(resolved, workers)
  return {
    handler: createValidatorHandler(validator, resolved),
    validate: (kind, payload) => validator.validate(kind, payload),
    validateBatch: (items) => validator.validateBatch(items),
    async close() {
      validator.close()
    },
  }
}
