import { createPatternMeter } from './caller-regexp.ts'
import type { ValidatorConfig } from './config.ts'
import { batchItems, checkEnvelope } from './envelope.ts'
import type { KindCheck, KindOutcome, KindReport, Rejection } from './kind-check.ts'
import { createEmailCheck } from './kind-email.ts'
import { createFillCheck } from './kind-fill.ts'
import { createSchemaCheck } from './kind-schema.ts'
import { createSmsCheck } from './kind-sms.ts'
import { createPayloadAjv } from './payload-ajv.ts'
import { rejectionProblem } from './problems.ts'
import { createSchemaCompiler } from './schema-compiler.ts'
import type { BatchItemResult, BatchResult, ValidationItem, ValidationKind, ValidationResult } from './types.ts'
import type { WorkerLookup } from './worker-lookup.ts'

/** The validator's domain: no HTTP here, so the draft and observer components can call it in-process. */
export interface Validator {
  /**
   * Checks one payload. An invalid payload is a result with `valid: false`; a request that
   * cannot be checked at all (unknown kind, non-object payload, schema that does not compile)
   * throws the matching 400 Problem.
   */
  validate(kind: string, payload: unknown): Promise<ValidationResult>
  /** As `validate`, for a `POST /v1/validate` body that has not been shape-checked yet. */
  validateRequest(body: unknown): Promise<ValidationResult>
  /**
   * Checks 1..maxBatchItems items with one worker lookup for all of them. An item that cannot
   * be checked is an invalid result, not a failure of the batch.
   */
  validateBatch(items: readonly ValidationItem[]): Promise<BatchResult>
  /** As `validateBatch`, for a `POST /v1/validate/batch` body. */
  validateBatchRequest(body: unknown): Promise<BatchResult>
  close(): void
}

/** An item after its synchronous checks, before worker references are resolved. */
type Staged =
  | { readonly kind: string | null; readonly rejection: Rejection }
  | { readonly kind: ValidationKind; readonly outcome: KindOutcome }

type Evaluation =
  | { readonly kind: string | null; readonly rejection: Rejection }
  | { readonly kind: ValidationKind; readonly report: KindReport }

function capped(kind: ValidationKind, report: KindReport, maxErrors: number): ValidationResult {
  const truncated = report.errors.length > maxErrors
  return {
    kind,
    valid: report.errors.length === 0,
    warnings: report.warnings.slice(0, maxErrors),
    errors: truncated ? report.errors.slice(0, maxErrors) : report.errors,
    ...(truncated ? { errors_truncated: true as const } : {}),
  }
}

export function createValidator(config: Readonly<ValidatorConfig>, workers: WorkerLookup): Validator {
  const ajv = createPayloadAjv()
  const meter = createPatternMeter(config.maxPatternWork)
  const compiler = createSchemaCompiler(config.schemaCacheSize, meter)
  const checks: Readonly<Record<ValidationKind, KindCheck>> = {
    email: createEmailCheck(ajv),
    sms: createSmsCheck(ajv),
    fill: createFillCheck(ajv),
    schema: createSchemaCheck(ajv, compiler),
  }

  /** Runs every item's checks, then resolves all worker references in one lookup. */
  const evaluate = async (items: readonly unknown[]): Promise<Evaluation[]> => {
    // Items are checked synchronously below, so this request alone draws on the meter until the first await.
    meter.reset()
    const staged = items.map((item): Staged => {
      const envelope = checkEnvelope(item)
      return envelope.ok ? { kind: envelope.kind, outcome: checks[envelope.kind].check(envelope.payload) } : envelope
    })
    const wanted = new Set<string>()
    for (const s of staged) if ('outcome' in s && s.outcome.type === 'needs_workers') for (const id of s.outcome.ids) wanted.add(id)
    const existing = wanted.size === 0 ? new Set<string>() : await workers.existing([...wanted])
    return staged.map((s): Evaluation => {
      if (!('outcome' in s)) return s
      const { kind, outcome } = s
      if (outcome.type === 'rejected') return { kind, rejection: outcome.rejection }
      return { kind, report: outcome.type === 'report' ? outcome.report : outcome.finish(existing) }
    })
  }

  const single = async (body: unknown): Promise<ValidationResult> => {
    const [evaluation] = await evaluate([body])
    if (evaluation === undefined) throw new Error('unreachable: one item evaluated to nothing')
    if ('rejection' in evaluation) throw rejectionProblem(evaluation.rejection)
    return capped(evaluation.kind, evaluation.report, config.maxErrors)
  }

  const batch = async (items: readonly unknown[]): Promise<BatchResult> => {
    const evaluations = await evaluate(items)
    const results = evaluations.map((e, index): BatchItemResult => {
      if ('rejection' in e) {
        const errors = e.rejection.errors.slice(0, config.maxErrors)
        const truncated = e.rejection.errors.length > config.maxErrors
        return { index, kind: e.kind, valid: false, warnings: [], errors, ...(truncated ? { errors_truncated: true as const } : {}) }
      }
      const { kind, valid, warnings, errors, errors_truncated } = capped(e.kind, e.report, config.maxErrors)
      return { index, kind, valid, warnings, errors, ...(errors_truncated === true ? { errors_truncated } : {}) }
    })
    const valid = results.filter((r) => r.valid).length
    return { results, summary: { total: results.length, valid, invalid: results.length - valid } }
  }

  return {
    validate: (kind, payload) => single({ kind, payload }),
    validateRequest: single,
    validateBatch: async (items) => batch(batchItems({ items }, config.maxBatchItems)),
    validateBatchRequest: async (body) => batch(batchItems(body, config.maxBatchItems)),
    close() {
      compiler.clear()
    },
  }
}
