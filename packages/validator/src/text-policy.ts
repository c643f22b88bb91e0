import { findPlaceholders } from './placeholder-guard.ts'
import { findSsnPatterns } from './ssn-guard.ts'
import type { ValidationEntry } from './types.ts'

const LISTED_PLACEHOLDERS = 3

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
}

/**
 * The content rules every outbound text shares: no SSN-shaped number, no unfilled
 * placeholder. One entry per field and rule, so a long body with many hits stays readable.
 * The SSN entry gives offsets only: echoing the number would copy it into logs and reports.
 */
export function textPolicyEntries(field: string, text: string): ValidationEntry[] {
  const out: ValidationEntry[] = []
  const ssns = findSsnPatterns(text)
  const [firstSsn] = ssns
  if (firstSsn !== undefined) {
    out.push({
      kind: 'policy',
      field,
      reason: 'ssn_pattern',
      message: `${field} contains ${plural(ssns.length, 'number', 'numbers')} shaped like a US Social Security number (first at offset ${firstSsn.index}); remove it before sending`,
    })
  }
  const placeholders = findPlaceholders(text)
  if (placeholders.length > 0) {
    const distinct = [...new Set(placeholders.map((p) => p.text))]
    const listed = distinct.slice(0, LISTED_PLACEHOLDERS).join(', ')
    const more = distinct.length > LISTED_PLACEHOLDERS ? ` and ${distinct.length - LISTED_PLACEHOLDERS} more` : ''
    out.push({
      kind: 'policy',
      field,
      reason: 'unfilled_placeholder',
      message: `${field} contains unfilled ${distinct.length === 1 ? 'placeholder' : 'placeholders'} ${listed}${more}`,
    })
  }
  return out
}
