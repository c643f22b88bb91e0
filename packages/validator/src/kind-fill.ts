import { indexPath } from '@lakehouse/kit'
import type { Ajv } from 'ajv'
import { entriesFromAjv } from './ajv-entries.ts'
import { type KindCheck, type KindReport, reportOutcome } from './kind-check.ts'
import { BUILTIN_ENTRY_OPTIONS } from './payload-ajv.ts'
import { FILL_MAX_CANDIDATES, FILL_MAX_HEADCOUNT, FILL_PAYLOAD_SCHEMA } from './payload-schemas.ts'
import type { ValidationEntry, ValidationWarning } from './types.ts'

const IDS_FIELD = '$.candidate_ids'

interface Candidate {
  readonly index: number
  readonly id: string
  /** Index of the first occurrence when this one repeats it. */
  readonly firstIndex: number | undefined
}

function usableCandidates(ids: unknown): Candidate[] | undefined {
  // Past the limit the schema error is the answer; looking up 10,000 ids would only cost.
  if (!Array.isArray(ids) || ids.length > FILL_MAX_CANDIDATES) return undefined
  const first = new Map<string, number>()
  const out: Candidate[] = []
  ids.forEach((id: unknown, index) => {
    if (typeof id !== 'string' || id === '' || id.length > FILL_PAYLOAD_SCHEMA.properties.candidate_ids.items.maxLength) return
    out.push({ index, id, firstIndex: first.get(id) })
    if (!first.has(id)) first.set(id, index)
  })
  return out
}

function validHeadcount(value: unknown): number | undefined {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= FILL_MAX_HEADCOUNT ? (value as number) : undefined
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/**
 * Candidate entries come in index order (a repeat is reported where it repeats, an unknown
 * id where it first appears), then the headcount check. Headcount compares distinct ids, so
 * a repeated id is reported once, as a duplicate, and not again as over-headcount.
 */
function fillReport(
  schemaErrors: readonly ValidationEntry[],
  candidates: readonly Candidate[],
  headcount: number | undefined,
  existing: ReadonlySet<string>,
): KindReport {
  const errors = [...schemaErrors]
  const warnings: ValidationWarning[] = []
  let distinct = 0
  for (const c of candidates) {
    const field = indexPath(IDS_FIELD, c.index)
    if (c.firstIndex !== undefined) {
      errors.push({
        kind: 'duplicate',
        field,
        reason: 'duplicate_candidate',
        message: `${field} repeats candidate ${JSON.stringify(c.id)} (first at index ${c.firstIndex})`,
      })
      continue
    }
    distinct++
    if (!existing.has(c.id)) {
      errors.push({
        kind: 'reference',
        field,
        reason: 'unknown_candidate',
        message: `${field} ${JSON.stringify(c.id)} is not a known worker id`,
      })
    }
  }
  if (headcount !== undefined && distinct > headcount) {
    errors.push({
      kind: 'consistency',
      field: IDS_FIELD,
      reason: 'over_headcount',
      message: `${IDS_FIELD} proposes ${plural(distinct, 'distinct candidate')} for a headcount of ${headcount}`,
    })
  }
  if (headcount !== undefined && distinct > 0 && distinct < headcount) {
    warnings.push({
      field: IDS_FIELD,
      reason: 'partial_fill',
      message: `${IDS_FIELD} proposes ${plural(distinct, 'distinct candidate')} for a headcount of ${headcount}; the fill is partial`,
    })
  }
  return { errors, warnings }
}

export function createFillCheck(ajv: Ajv): KindCheck {
  const validate = ajv.compile(FILL_PAYLOAD_SCHEMA)
  return {
    check(payload) {
      validate(payload)
      const schemaErrors = entriesFromAjv(validate.errors, payload, BUILTIN_ENTRY_OPTIONS)
      const candidates = usableCandidates(payload.candidate_ids)
      if (candidates === undefined || candidates.length === 0) return reportOutcome(schemaErrors)
      const headcount = validHeadcount(payload.headcount)
      const ids = candidates.filter((c) => c.firstIndex === undefined).map((c) => c.id)
      return { type: 'needs_workers', ids, finish: (existing) => fillReport(schemaErrors, candidates, headcount, existing) }
    },
  }
}
