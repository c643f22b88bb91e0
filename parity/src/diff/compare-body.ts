/**
 * Bodies by kind: JSON goes to the shape-and-value walk; text and binary compare whole;
 * a change of kind (JSON on one side, text or nothing on the other) is one `type` finding at `$`.
 */
import type { Finding, ObservedBody } from '../model.ts'
import { diffJson } from './compare-json.ts'
import { makeFinding, onEach, shapeOf, type TargetNames } from './findings.ts'
import { displayValue } from './json-text.ts'
import { type ParsedBody, parseBody } from './parse-body.ts'
import type { CompiledRules } from './rules.ts'

function kindLabel(body: ParsedBody): string {
  return body.kind === 'text' && body.jsonError !== undefined ? 'invalid json' : body.kind
}

function bodyDisplay(body: ParsedBody): unknown {
  switch (body.kind) {
    case 'empty':
      return undefined
    case 'json':
      return displayValue(body.value)
    case 'text':
      return displayValue(body.text)
    case 'binary':
      // Base64 of a large binary says nothing to a reader; its size does.
      return `<${body.size} bytes of binary>`
  }
}

/** Index of the first differing character, for a message that points somewhere useful. */
function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return i
  return n
}

/** Text and binary bodies compare whole: one medium `value` finding at `$`. */
function wholeBodyFinding(a: ParsedBody, b: ParsedBody, shape: string, message: string): Finding {
  return makeFinding({ class: 'value', risk: 'medium', path: '$', baseline: bodyDisplay(a), candidate: bodyDisplay(b), shape, message })
}

export function compareBodies(baseline: ObservedBody, candidate: ObservedBody, rules: CompiledRules, names: TargetNames): Finding[] {
  const a = parseBody(baseline)
  const b = parseBody(candidate)
  if (a.kind !== b.kind) {
    const message = onEach(names, `${kindLabel(a)} body`, `${kindLabel(b)} body`)
    const shape = shapeOf(`${kindLabel(a)} body`, `${kindLabel(b)} body`)
    return [
      makeFinding({ class: 'type', risk: 'breaking', path: '$', baseline: bodyDisplay(a), candidate: bodyDisplay(b), shape, message }),
    ]
  }
  if (a.kind === 'json' && b.kind === 'json') return diffJson(a.value, b.value, rules, names)
  if (a.kind === 'text' && b.kind === 'text' && a.text !== b.text) {
    const message = `text bodies differ from character ${firstDifference(a.text, b.text)} (${onEach(names, `${a.text.length} characters`, `${b.text.length} characters`)})`
    return [wholeBodyFinding(a, b, 'text body', message)]
  }
  if (a.kind === 'binary' && b.kind === 'binary' && a.base64 !== b.base64) {
    return [wholeBodyFinding(a, b, 'binary body', `binary bodies differ (${onEach(names, `${a.size} bytes`, `${b.size} bytes`)})`)]
  }
  return []
}
