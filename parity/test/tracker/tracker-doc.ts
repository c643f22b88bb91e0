/** Builds decisions-tracker documents for the tests: hand-written prose around the four blocks. */

export const INTRO = `# Architecture comparison — test copy

Hand-written intro with a | pipe, \`code\`, trailing spaces   
and a line the tool must never touch.

`

export const HEADER = '| id | area | finding | status | evidence | first seen | resolved by |\n|---|---|---|---|---|---|---|'

export function trackerDoc(rows: readonly string[], options: { summary?: string; changelog?: string; status?: string } = {}): string {
  return `${INTRO}<!-- parity:status:begin -->
${options.status ?? '- **Last refresh:** none yet'}
<!-- parity:status:end -->

## Decisions tracker

Prose between blocks stays as written.

<!-- tracker:begin -->
${[HEADER, ...rows].join('\n')}
<!-- tracker:end -->

## Parity summary
<!-- parity:summary:begin -->
${options.summary ?? '_No parity run has updated this table yet._'}
<!-- parity:summary:end -->

## Change log
<!-- changelog:begin -->
${options.changelog ?? '- 2026-11-01: document created by hand.'}
<!-- changelog:end -->

Footer text, also hand-written.
`
}

/** Everything outside the four blocks, to compare before and after an update. */
export function outsideBlocks(doc: string): string {
  return doc.replace(
    /(<!-- (?:parity:status|tracker|parity:summary|changelog):begin -->)[\s\S]*?(<!-- (?:parity:status|tracker|parity:summary|changelog):end -->)/g,
    '$1…$2',
  )
}

/** The row line starting with `| <id> |`. */
export function rowLine(doc: string, id: string): string | undefined {
  return doc.split('\n').find((l) => l.startsWith(`| ${id} |`))
}
