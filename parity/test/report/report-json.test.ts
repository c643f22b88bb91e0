import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { REPORT_SCHEMA_ID, type RunReport } from '../../src/model.ts'
import { type JsonSchemaNode, REPORT_JSON_SCHEMA, renderReportJson } from '../../src/report/index.ts'
import { buildReport } from './fixture-report.ts'

function validator() {
  return new Ajv({ allErrors: true, strict: true }).compile(REPORT_JSON_SCHEMA)
}

/** Keys present in `value` that the schema does not describe (the schema would let them through). */
function undescribed(value: unknown, schema: JsonSchemaNode | undefined, at = '$'): string[] {
  let node = schema
  while (node?.$ref !== undefined) node = REPORT_JSON_SCHEMA.definitions?.[node.$ref.replace('#/definitions/', '')]
  if (node === undefined || value === null || typeof value !== 'object') return []
  if (Array.isArray(value)) {
    return value.flatMap((v, i) =>
      undescribed(v, Array.isArray(node.items) ? node.items[i] : (node.items as JsonSchemaNode | undefined), `${at}[${i}]`),
    )
  }
  if (node.properties === undefined && typeof node.additionalProperties !== 'object') return []
  return Object.entries(value).flatMap(([k, v]) => {
    const child = node.properties?.[k] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined)
    return child === undefined ? [`${at}.${k}`] : undescribed(v, child, `${at}.${k}`)
  })
}

/** The same data with every object's keys inserted in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  )
}

describe('REPORT_JSON_SCHEMA', () => {
  it('is draft-07 with the report schema id', () => {
    expect(REPORT_JSON_SCHEMA.$schema).toBe('http://json-schema.org/draft-07/schema#')
    expect(REPORT_JSON_SCHEMA.$id).toBe(REPORT_SCHEMA_ID)
  })

  it('validates the fixture report (as written to report.json)', () => {
    const validate = validator()
    const ok = validate(JSON.parse(renderReportJson(buildReport())))
    expect(validate.errors ?? []).toEqual([])
    expect(ok).toBe(true)
  })

  it('describes every field the fixture uses', () => {
    expect(undescribed(JSON.parse(renderReportJson(buildReport())), REPORT_JSON_SCHEMA)).toEqual([])
  })

  it('rejects a report with an unknown class, a bad divergence id or a missing field', () => {
    const validate = validator()
    const report = JSON.parse(renderReportJson(buildReport()))
    expect(validate({ ...report, schema: 'lakehouse.parity.report/v1' })).toBe(false)
    expect(validate({ ...report, findings: [{ ...report.findings[0], id: 'pd-0123456789' }] })).toBe(false)
    const { findings: _findings, ...withoutFindings } = report
    expect(validate(withoutFindings)).toBe(false)
    expect(validate({ ...report, divergences: [{ ...report.divergences[0], class: 'vibes' }] })).toBe(false)
    expect(validate({ ...report, divergences: [{ ...report.divergences[0], id: 'pd-XYZ' }] })).toBe(false)
    const { summary: _summary, ...withoutSummary } = report
    expect(validate(withoutSummary)).toBe(false)
    expect(validate({ ...report, exitCode: 3 })).toBe(false)
  })
})

describe('renderReportJson', () => {
  it('writes 2-space indented JSON ending in a newline that parses back to the report', () => {
    const report = buildReport()
    const text = renderReportJson(report)
    expect(text.endsWith('}\n')).toBe(true)
    expect(text.split('\n')[1]).toBe('  "schema": "lakehouse.parity.report/v2",')
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(report)))
  })

  it('orders keys by the schema, not by how the object was built', () => {
    const report = buildReport()
    const reversed = reverseKeys(report) as RunReport
    expect(renderReportJson(reversed)).toBe(renderReportJson(report))
    const top = Object.keys(JSON.parse(renderReportJson(reversed)))
    expect(top.slice(0, 4)).toEqual(['schema', 'runId', 'startedAt', 'finishedAt'])
    expect(top.at(-1)).toBe('exitCode')
  })

  it('sorts map-like objects by key, integer-like keys included', () => {
    const report = buildReport()
    const c = report.cases[0]
    if (c === undefined) throw new Error('fixture')
    const text = renderReportJson({ ...report, cases: [{ ...c, latencyMs: { zeta: 1, '10': 2, '9': 3, alpha: 4 } }] })
    const block = text.slice(text.indexOf('"latencyMs": {'), text.indexOf('}', text.indexOf('"latencyMs": {')))
    expect([...block.matchAll(/"([^"]+)": \d/g)].map((m) => m[1])).toEqual(['10', '9', 'alpha', 'zeta'])
  })

  it('keeps the key order of free-form finding values (it is data)', () => {
    const report = buildReport()
    const d = report.divergences[0]
    if (d === undefined) throw new Error('fixture')
    const text = renderReportJson({ ...report, divergences: [{ ...d, baseline: { z: 1, a: 2 } }] })
    expect(text).toMatch(/"baseline": \{\n\s+"z": 1,\n\s+"a": 2\n\s+\}/)
  })

  it('omits undefined optional fields', () => {
    const { commit: _commit, ...rest } = buildReport()
    expect(renderReportJson(rest as RunReport)).not.toContain('"commit"')
  })
})
