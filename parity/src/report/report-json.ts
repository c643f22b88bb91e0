import type { RunReport } from '../model.ts'
import { type JsonSchemaNode, REPORT_JSON_SCHEMA } from './report-schema.ts'

/**
 * `report.json`: 2-space indent, keys in the order the schema lists them, map-like objects
 * (headers, latencies, responses, byComponent) sorted by key, so two runs with the same
 * outcome produce the same bytes and diff cleanly. Values the schema leaves open (a
 * finding's `baseline`/`candidate`) are written as they are: their key order is data.
 *
 * The writer is hand-rolled rather than `JSON.stringify(obj, null, 2)` over a re-keyed copy
 * because JavaScript objects enumerate integer-like keys first whatever the insertion order.
 */
export function renderReportJson(report: RunReport): string {
  return `${write(report, REPORT_JSON_SCHEMA, '')}\n`
}

const INDENT = '  '

function write(value: unknown, schema: JsonSchemaNode | undefined, indent: string): string {
  const node = resolve(schema)
  if (Array.isArray(value)) return writeArray(value, node, indent)
  if (isPlainObject(value) && node !== undefined && isStructured(node)) return writeObject(value, node, indent)
  return verbatim(value, indent)
}

function writeArray(value: readonly unknown[], node: JsonSchemaNode | undefined, indent: string): string {
  if (value.length === 0) return '[]'
  const inner = indent + INDENT
  const items = value.map((item, i) => {
    const itemSchema = Array.isArray(node?.items)
      ? (node.items as readonly JsonSchemaNode[])[i]
      : (node?.items as JsonSchemaNode | undefined)
    // JSON.stringify writes `null` for undefined array slots; keep that.
    return inner + (item === undefined ? 'null' : write(item, itemSchema, inner))
  })
  return `[\n${items.join(',\n')}\n${indent}]`
}

function writeObject(value: Readonly<Record<string, unknown>>, node: JsonSchemaNode, indent: string): string {
  const declared = Object.keys(node.properties ?? {})
  const rest = Object.keys(value)
    .filter((k) => !declared.includes(k))
    .sort(compareKeys)
  const inner = indent + INDENT
  const lines: string[] = []
  for (const key of [...declared, ...rest]) {
    const v = value[key]
    if (v === undefined || typeof v === 'function') continue
    const additional = typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined
    const childSchema = node.properties?.[key] ?? additional
    lines.push(`${inner}${JSON.stringify(key)}: ${write(v, childSchema, inner)}`)
  }
  return lines.length === 0 ? '{}' : `{\n${lines.join(',\n')}\n${indent}}`
}

function verbatim(value: unknown, indent: string): string {
  const text = JSON.stringify(value, null, 2) ?? 'null'
  return text.replaceAll('\n', `\n${indent}`)
}

function resolve(schema: JsonSchemaNode | undefined): JsonSchemaNode | undefined {
  let node = schema
  // Refs only point into `definitions` of the one root schema; a loop would be a schema bug.
  for (let hops = 0; node?.$ref !== undefined && hops < 8; hops++) {
    const name = node.$ref.replace(/^#\/definitions\//, '')
    node = REPORT_JSON_SCHEMA.definitions?.[name]
  }
  return node
}

function isStructured(node: JsonSchemaNode): boolean {
  return node.properties !== undefined || typeof node.additionalProperties === 'object'
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Code-unit order, not locale order: the same on every machine. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
