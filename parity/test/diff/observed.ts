import { mergeRules } from '../../src/diff/index.ts'
import type { CompareRules, Observed, ObservedBody } from '../../src/model.ts'
import { EMPTY_RULES } from '../../src/model.ts'

/** A response as the runner would observe it; headers default to a JSON content type. */
export function observed(body: ObservedBody, init: { status?: number; headers?: Record<string, string> } = {}): Observed {
  return { status: init.status ?? 200, headers: init.headers ?? { 'content-type': 'application/json' }, body, latencyMs: 1 }
}

export function json(text: string, init?: { status?: number; headers?: Record<string, string> }): Observed {
  return observed({ kind: 'json', text }, init)
}

export function text(value: string): Observed {
  return observed({ kind: 'text', text: value }, { headers: { 'content-type': 'text/plain' } })
}

export function rules(part: Partial<CompareRules> = {}): CompareRules {
  return mergeRules(EMPTY_RULES, part)
}
