import type { CaseOutcome, Divergence, ParityFinding, RunReport, RunSettings, Tally, TargetInfo } from '../model.ts'

/** How reports name the tracker of a run that read none (URL targets without `--tracker`). */
export const NO_TRACKER = '(no tracker)'

/** What each exit code means, worded once for the terminal, the summary and the HTML page. */
export const EXIT_CODE_MEANINGS: Readonly<Record<0 | 1 | 2, string>> = exitCodeMeanings('the decisions tracker')

/** The meanings naming the tracker the run actually read (`--tracker`, as the runner shows it). */
export function exitCodeMeanings(tracker: string): Readonly<Record<0 | 1 | 2, string>> {
  if (tracker === NO_TRACKER) {
    return {
      0: 'parity, or only divergences below --fail-on',
      1: 'new divergence: no tracker was read (--tracker FILE), so none is known',
      2: 'configuration or target error (a case error counts)',
    }
  }
  return {
    0: `parity, or only known divergences (open or accepted rows of ${tracker})`,
    1: `new divergence: no open or accepted row of ${tracker} covers it (rows the tool opens stay \`new\` until a person decides)`,
    2: 'configuration or target error (a case error counts)',
  }
}

/** Which tracker the reports name; the runner passes the one it used. */
export interface ReportContext {
  readonly tracker?: string
}

export function exitMeaning(code: 0 | 1 | 2, context: ReportContext | undefined): string {
  return context?.tracker === undefined ? EXIT_CODE_MEANINGS[code] : exitCodeMeanings(context.tracker)[code]
}

export const OUTCOMES: readonly CaseOutcome[] = ['parity', 'known', 'divergent', 'error']

export const TALLY_COLUMNS: readonly (readonly [keyof Tally, string])[] = [
  ['cases', 'cases'],
  ['parity', 'parity'],
  ['known', 'known'],
  ['divergent', 'divergent'],
  ['errors', 'errors'],
]

/** Components in code-unit order (stable across machines), each with its tally. */
export function componentTallies(report: RunReport): readonly (readonly [string, Tally])[] {
  const names = new Set([...Object.keys(report.summary.byComponent), ...report.cases.map((c) => c.component)])
  const empty: Tally = { cases: 0, parity: 0, known: 0, divergent: 0, errors: 0 }
  return [...names].sort(byCodeUnit).map((name) => [name, report.summary.byComponent[name] ?? empty] as const)
}

export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** `node (node 20.19.0)` — the runtime/version pair from /health when the target reported one. */
export function describeTarget(t: TargetInfo): string {
  const detail = [t.runtime, t.version].filter((s) => s !== undefined && s !== '').join(' ')
  return detail === '' ? t.name : `${t.name} (${detail})`
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const minutes = Math.floor(ms / 60_000)
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`
}

/** Latencies keep one decimal below 10 ms, where a runtime difference is still visible. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–'
  return ms < 10 ? ms.toFixed(1) : String(Math.round(ms))
}

/** `node→bun`; a contract finding's pair is one target (`node`), checked against the document alone. */
export function pairLabel(pair: readonly [string, string]): string {
  return pair[0] === pair[1] ? pair[0] : `${pair[0]}→${pair[1]}`
}

export function splitDivergences(list: readonly Divergence[]): { readonly fresh: Divergence[]; readonly known: Divergence[] } {
  return { fresh: list.filter((d) => !d.known), known: list.filter((d) => d.known) }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g

/**
 * One line of printable text: newlines become spaces and other control characters their
 * `\uXXXX` form, so a message quoting a response body can neither break a table row nor
 * send escape sequences to the terminal.
 */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** Markdown table cell holding markdown (code spans): `|` escaped — GFM honours `\|` even inside code spans. */
export function mdCell(text: string): string {
  return oneLine(text).replaceAll('|', '\\|')
}

/**
 * Plain text in Markdown: punctuation that could start markup is backslash-escaped, so a
 * message quoting `<b>` or `*` shows as written instead of rendering (GitHub passes inline
 * HTML through). Safe in table cells too: `|` is among the escaped characters.
 */
export function mdText(text: string): string {
  // Escape before oneLine: its `\uXXXX` output must stay as written, not gain a second backslash.
  return oneLine(text.replace(/[\\`*_[\]<>&|~#]/g, (c) => `\\${c}`))
}

/**
 * An inline code span that survives backticks in its content: the fence is one backtick
 * longer than the longest run inside, padded with spaces when the content touches a fence.
 */
export function codeSpan(text: string): string {
  const runs = text.match(/`+/g) ?? []
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1)
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : ''
  return `${fence}${pad}${text}${pad}${fence}`
}

/** Short display form of a finding's baseline/candidate value. */
export function showValue(value: unknown, max = 60): string {
  if (value === undefined) return '(absent)'
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value))
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** `GET /posts/{id} 9/9, GET /comments/{id} 3/3 +2 more`: the endpoints a finding touched, busiest first. */
export function endpointsLabel(f: Pick<ParityFinding, 'endpoints'>, max = 3): string {
  const shown = f.endpoints.slice(0, max).map((e) => `${e.endpoint} ${e.occurrences}/${e.comparisons}`)
  const more = f.endpoints.length - shown.length
  return more > 0 ? `${shown.join(', ')} +${more} more` : shown.join(', ')
}

/** "9/9 requests" — how often a finding occurred among the comparisons that could show it. */
export function seenLabel(f: Pick<ParityFinding, 'occurrences' | 'comparisons'>): string {
  return `${f.occurrences}/${f.comparisons} ${f.comparisons === 1 ? 'request' : 'requests'}`
}

export function splitFindings(list: readonly ParityFinding[]): { readonly fresh: ParityFinding[]; readonly known: ParityFinding[] } {
  return { fresh: list.filter((f) => !f.known), known: list.filter((f) => f.known) }
}

/** `fail on any · tracker docs/X.md · noise: replay on the baseline` — how the verdict was reached. */
export function settingsLabel(s: RunSettings): string {
  const noise =
    s.noise === 'secondary'
      ? `noise: second baseline instance ${s.secondaryUrl ?? ''}`.trimEnd()
      : s.noise === 'off'
        ? 'noise check off'
        : 'noise: replay on the baseline'
  return [
    `fail on ${s.failOn}`,
    s.tracker === undefined ? 'no tracker' : `tracker ${s.tracker}${s.updateDocs ? ' (--update-docs)' : ''}`,
    noise,
    ...(s.contract === undefined ? [] : [`contract ${s.contract}`]),
  ].join(' · ')
}
