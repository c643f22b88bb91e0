import { createRouter, type Handler, jsonBodyLimits, jsonResponse, readJsonBody } from '@lakehouse/kit'
import type { ValidatorConfig } from './config.ts'
import { validationFailedProblem } from './problems.ts'
import { VALIDATE_BATCH_DOC, VALIDATE_DOC } from './route-docs.ts'
import type { Validator } from './validator.ts'

/** Where the gateway mounts the validator; routes are registered on full paths because requests arrive untouched. */
export const VALIDATOR_MOUNT = '/v1/validate'

export function createValidatorHandler(validator: Validator, config: Readonly<ValidatorConfig>): Handler {
  const limits = jsonBodyLimits(config)
  return createRouter()
    .post(VALIDATOR_MOUNT, VALIDATE_DOC, async ({ req }) => {
      const result = await validator.validateRequest(await readJsonBody(req, limits))
      if (!result.valid) throw validationFailedProblem(result)
      return jsonResponse({ valid: true, kind: result.kind, warnings: result.warnings })
    })
    .post(`${VALIDATOR_MOUNT}/batch`, VALIDATE_BATCH_DOC, async ({ req }) =>
      jsonResponse(await validator.validateBatchRequest(await readJsonBody(req, limits))),
    )
    .build()
}
