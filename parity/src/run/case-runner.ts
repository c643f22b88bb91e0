import { type BuiltRequest, buildRequest, previewBody } from '../cases/request-builder.ts'
import { readJsonPath, UnknownVariableError } from '../cases/variables.ts'
import type { CaseStep, Observed, ParityCase } from '../model.ts'
import type { TargetClient } from '../targets/http-client.ts'

export interface StepRun {
  readonly step: CaseStep
  readonly request?: BuiltRequest
  readonly requestPreview?: string
  readonly observed?: Observed
  readonly error?: string
}

function capture(step: CaseStep, observed: Observed, vars: Map<string, unknown>): string | undefined {
  for (const [name, spec] of Object.entries(step.capture ?? {})) {
    let value: unknown
    if (spec.from === 'status') value = observed.status
    else if (spec.from === 'header') value = observed.headers[(spec.path ?? '').toLowerCase()]
    else if (observed.body.kind === 'json') {
      try {
        value = readJsonPath(JSON.parse(observed.body.text), spec.path ?? '$')
      } catch {
        value = undefined
      }
    }
    if (value === undefined) return `capture ${name}: ${spec.from} ${spec.path ?? ''} not found in the response (status ${observed.status})`
    vars.set(name, value)
  }
  return undefined
}

/**
 * Runs a case's steps in order on one target. Steps after a failed one are not sent (their
 * variables may be missing); the failure is recorded, never thrown.
 */
export async function runCaseOn(c: ParityCase, client: TargetClient, vars: Map<string, unknown>): Promise<StepRun[]> {
  const runs: StepRun[] = []
  for (const step of c.steps) {
    let request: BuiltRequest
    try {
      request = buildRequest(step, vars, c.id, undefined, client.headers)
    } catch (e) {
      runs.push({
        step,
        error: e instanceof UnknownVariableError ? e.message : `cannot build the request: ${e instanceof Error ? e.message : String(e)}`,
      })
      break
    }
    const requestPreview = previewBody(request.body)
    let observed: Observed
    try {
      observed = await client.send(request)
    } catch (e) {
      runs.push({
        step,
        request,
        ...(requestPreview === undefined ? {} : { requestPreview }),
        error: e instanceof Error ? e.message : String(e),
      })
      break
    }
    const captureError = capture(step, observed, vars)
    const expectError =
      step.expectStatus !== undefined && observed.status !== step.expectStatus
        ? `expected status ${step.expectStatus}, got ${observed.status}`
        : undefined
    const error = expectError ?? captureError
    runs.push({
      step,
      request,
      observed,
      ...(requestPreview === undefined ? {} : { requestPreview }),
      ...(error === undefined ? {} : { error }),
    })
    if (captureError !== undefined) break
  }
  return runs
}
