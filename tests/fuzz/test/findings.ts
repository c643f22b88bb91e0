import { appendFileSync } from 'node:fs'
import type { Violation } from './verdict.ts'

/**
 * Failures grouped by what they look like — the violated property, where (route or raw-case
 * kind) and the pair of answers — so ten thousand requests that hit one root cause read as one
 * line with a count and a couple of examples.
 */
export interface Finding {
  readonly property: string
  readonly where: string
  readonly node: string
  readonly bun: string
  readonly detail: string
  count: number
  readonly examples: string[]
}

export class Findings {
  private readonly groups = new Map<string, Finding>()
  total = 0

  add(where: string, node: string, bun: string, violations: readonly Violation[], example: string): void {
    for (const v of violations) {
      this.total++
      const key = `${v.property}|${where}|${node}|${bun}`
      const f = this.groups.get(key) ?? { property: v.property, where, node, bun, detail: v.detail, count: 0, examples: [] }
      f.count++
      if (f.examples.length < 2 && !f.examples.includes(example)) f.examples.push(example)
      this.groups.set(key, f)
    }
  }

  get size(): number {
    return this.groups.size
  }

  list(): Finding[] {
    return [...this.groups.values()].sort((a, b) => a.property.localeCompare(b.property) || b.count - a.count)
  }

  /** `where ×count` per place, e.g. per known gap: a one-line summary for the log. */
  counts(): string {
    const by = new Map<string, number>()
    for (const f of this.groups.values()) by.set(f.where, (by.get(f.where) ?? 0) + f.count)
    return [...by.entries()].map(([w, n]) => `${w} ×${n}`).join(', ')
  }

  /** A short text for an assertion message: one line per group. */
  text(limit = 40): string {
    const lines = this.list().map(
      (f) => `${f.property} ×${f.count} at ${f.where}: node ${f.node} | bun ${f.bun} — ${f.detail}\n    e.g. ${f.examples[0] ?? ''}`,
    )
    return lines.length > limit ? [...lines.slice(0, limit), `… and ${lines.length - limit} more groups`].join('\n') : lines.join('\n')
  }

  /** Markdown for FUZZ_REPORT: a table of groups and their examples. */
  markdown(title: string, header: string): string {
    const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ')
    const rows = this.list().map(
      (f) => `| ${f.property} | ${cell(f.where)} | ${cell(f.node)} | ${cell(f.bun)} | ${f.count} | ${cell(f.examples.join(' ⏐ '))} |`,
    )
    return [
      `## ${title}`,
      '',
      header,
      '',
      '| property | where | node | bun | count | example |',
      '|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n')
  }
}

/** Appends a section to the file FUZZ_REPORT names, if any. */
export function report(markdown: string): void {
  const path = process.env.FUZZ_REPORT
  if (path !== undefined && path !== '') appendFileSync(path, `${markdown}\n`)
}

/** Printable, bounded preview of bytes: ASCII as is, everything else as \xNN. */
export function preview(bytes: Uint8Array | string | undefined, max = 120): string {
  if (bytes === undefined) return ''
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes
  let out = ''
  for (const x of b.subarray(0, max))
    out += x >= 0x20 && x < 0x7f && x !== 0x5c ? String.fromCharCode(x) : `\\x${x.toString(16).padStart(2, '0')}`
  return b.length > max ? `${out}… (${b.length} bytes)` : out
}
