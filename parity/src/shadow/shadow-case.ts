/**
 * One mirrored request as a one-step parity case, so live traffic goes through exactly the
 * comparison a corpus does (compare-case.ts): the primary is the baseline, the candidate the
 * other side, and the secondary's answer — another instance of the primary — is the baseline's
 * second observation, so what differs between primary and secondary is noise (Diffy's rule).
 */

import type { BuiltRequest } from '../cases/request-builder.ts'
import { previewBody } from '../cases/request-builder.ts'
import type { ContractChecker } from '../contract/contract-check.ts'
import { type CompareRules, EMPTY_RULES, type Observed, type ParityCase } from '../model.ts'
import type { StepRun } from '../run/case-runner.ts'
import { type ComparedCase, compareCase } from '../run/compare-case.ts'
import type { Exchange } from '../traffic/exchange.ts'

export const PRIMARY = 'primary'
export const CANDIDATE = 'candidate'
/** The only pair shadow mode compares. */
export const SHADOW_PAIRS: readonly (readonly [string, string])[] = [[PRIMARY, CANDIDATE]]
export const SHADOW_COMPONENT = 'shadow'

/** `shadow.000042`: in arrival order of the compared requests, six digits so ids sort. */
export function shadowCaseId(seq: number): string {
  return `shadow.${String(seq).padStart(6, '0')}`
}

export interface ShadowObservations {
  readonly exchange: Exchange
  readonly requestBytes: Uint8Array | undefined
  readonly candidate: Observed
  /** The secondary's answer; undefined without `--secondary` (then nothing is noise). */
  readonly secondary?: Observed
}

export function compareShadowCase(
  seq: number,
  o: ShadowObservations,
  rules: CompareRules = EMPTY_RULES,
  /** Divergence or finding id → the open or accepted tracker row naming it. */
  known: ReadonlyMap<string, string> = new Map(),
  /** `--contract`: the primary's and the candidate's answers checked against the document. */
  contract?: ContractChecker,
): ComparedCase {
  const { exchange } = o
  const c: ParityCase = {
    id: shadowCaseId(seq),
    title: `${exchange.method} ${exchange.target}`,
    component: SHADOW_COMPONENT,
    tags: ['shadow'],
    file: '(live traffic)',
    setup: false,
    noiseCheck: o.secondary !== undefined,
    compare: rules,
    fileIgnore: [],
    steps: [{ name: 'request', method: exchange.method, path: exchange.target, template: false }],
  }
  const [step] = c.steps
  if (step === undefined) throw new Error('unreachable: a shadow case has one step')
  const request: BuiltRequest = { method: exchange.method, path: exchange.target, headers: exchange.requestHeaders, body: o.requestBytes }
  const preview = previewBody(o.requestBytes)
  const run = (observed: Observed): StepRun => ({ step, request, observed, ...(preview === undefined ? {} : { requestPreview: preview }) })
  const primary: Observed = {
    status: exchange.status,
    headers: exchange.responseHeaders,
    body: exchange.responseBody,
    latencyMs: exchange.durationMs,
  }
  const runs = new Map<string, StepRun[]>([
    [PRIMARY, [run(primary)]],
    [CANDIDATE, [run(o.candidate)]],
  ])
  return compareCase(
    c,
    PRIMARY,
    SHADOW_PAIRS,
    { runs, ...(o.secondary === undefined ? {} : { replay: [run(o.secondary)] }) },
    known,
    contract,
  )
}
