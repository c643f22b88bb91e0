import { TRACKER_MARKERS } from './tracker-blocks.ts'
import { renderStatusBlock, renderSummaryBlock } from './tracker-generated.ts'
import { TABLE_HEADER, TABLE_RULE } from './tracker-table.ts'

/** The load instrument's block (`pnpm load --update-docs` writes into the same document). */
const LOAD_MARKERS = { begin: '<!-- load:begin -->', end: '<!-- load:end -->' } as const

/**
 * How a person works with the tracker: the hand-written header `pnpm parity tracker init`
 * writes (and docs/ARCHITECTURE_COMPARISON.md states in its own words).
 */
export const TRACKER_WORKFLOW = `**Known is a human decision.** A divergence is *known* — reported, but not failing the run —
only when a row with status \`open\` or \`accepted\` names its finding's \`pf-…\` id (or its own
\`pd-…\` id). The workflow:

1. \`pnpm parity\` (with \`--update-docs\`, the default for the booted node/bun apps) opens a row
   with status **\`new\`** for every finding — divergences sharing pair, class, path and shape —
   no row tracks yet. A \`new\` row is not a decision: the run still exits 1 for it, and so does
   every later run, until a person decides.
2. A person reads the evidence and changes the status cell: \`open\` (a real difference someone
   is fixing) or \`accepted\` (kept on purpose) — both make it known; or writes a decision row
   of their own (\`D-…\`) that names the \`pf-…\` or \`pd-…\` ids it covers.
3. When the finding disappears from a run that executed its cases, the tool marks the row
   \`resolved\`; if it comes back, the row returns to \`new\` and fails the run again.

\`--fail-on breaking|medium|any\` (default \`any\`) chooses which risks of divergences that are
not known fail the run. Statuses: \`new\`, \`open\`, \`accepted\`, \`resolved\`. Everything
between the \`<!-- … -->\` markers is written by the tools except a tracker row's finding,
status and resolved-by cells; the markers must stay.`

/** An empty decisions tracker with every marker: `pnpm parity tracker init FILE`. */
export function trackerTemplate(title = 'Architecture comparison'): string {
  const m = TRACKER_MARKERS
  return `# ${title}

${m.status.begin}${renderStatusBlock({ lastChange: undefined, rows: [] })}${m.status.end}

## How this document is updated

${TRACKER_WORKFLOW}

## Decisions tracker

${m.tracker.begin}
${TABLE_HEADER}
${TABLE_RULE}
${m.tracker.end}

## Parity summary

${m.summary.begin}${renderSummaryBlock([])}${m.summary.end}

## Load

${LOAD_MARKERS.begin}
_No load run has updated this section yet._
${LOAD_MARKERS.end}

## Change log

${m.changelog.begin}
${m.changelog.end}
`
}
