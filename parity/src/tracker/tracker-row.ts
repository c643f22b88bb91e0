import { findingTitle } from '../findings/group-findings.ts'
import type { ParityFinding } from '../model.ts'

/**
 * new: the tool opened the row and nobody has decided yet — its divergence is still unknown
 * and fails the run; open: the divergence exists and is being worked on; accepted: it exists
 * and is kept on purpose (a synonym of open for the instrument: both make the divergence
 * known — only a person writes them); resolved: it is gone (or was decided away). Status
 * cells are read case-insensitively with Markdown emphasis stripped, so `**Open**` and
 * `_accepted_` work.
 */
export type TrackerStatus = 'new' | 'open' | 'accepted' | 'resolved'
export const TRACKER_STATUSES: readonly TrackerStatus[] = ['new', 'open', 'accepted', 'resolved']

export interface TrackerRow {
  readonly id: string
  readonly area: string
  readonly finding: string
  readonly status: TrackerStatus
  readonly evidence: string
  readonly firstSeen: string
  readonly resolvedBy: string
  /**
   * Every divergence (`pd-…`) and finding (`pf-…`) id mentioned anywhere in the row, in
   * order, without repeats. A finding id covers every divergence of that finding.
   */
  readonly ids: readonly string[]
}

export const TRACKER_COLUMNS = ['id', 'area', 'finding', 'status', 'evidence', 'first seen', 'resolved by'] as const

const ROW_ID = /(?<![0-9A-Za-z_-])p[df]-[0-9a-f]{10}(?![0-9A-Za-z_])/g
const AUTO_ID = /^p[df]-[0-9a-f]{10}$/

/** Rows the tool opened carry the finding id (`pf-…`; `pd-…` before findings existed) as their own id. */
export function isAutoRow(row: Pick<TrackerRow, 'id'>): boolean {
  return AUTO_ID.test(row.id)
}

export function isFindingId(id: string): boolean {
  return id.startsWith('pf-')
}

/** Divergence and finding ids in a row's text. */
export function trackedIdsIn(text: string): string[] {
  return [...new Set(text.match(ROW_ID) ?? [])]
}

export function parseStatus(cell: string): TrackerStatus | undefined {
  const word = cell
    .replace(/[*_`~]/g, '')
    .trim()
    .toLowerCase()
  return TRACKER_STATUSES.find((s) => s === word)
}

/** Open or accepted: a person decided, so the row's divergences are known (they do not fail a run). */
export function isActive(row: Pick<TrackerRow, 'status'>): boolean {
  return row.status === 'open' || row.status === 'accepted'
}

/** Any row not resolved (new, open, accepted): its divergences already have a row, none is opened again. */
export function isTracked(row: Pick<TrackerRow, 'status'>): boolean {
  return row.status !== 'resolved'
}

// ── cells ────────────────────────────────────────────────────────────────────────────────

/**
 * GFM splits table cells on every `|` not preceded by a backslash, code spans included, and
 * removes that backslash afterwards; escaping each `|` as `\|` and undoing exactly that is
 * therefore lossless. Newlines cannot live in a row and become spaces.
 */
export function escapeCell(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replaceAll('|', '\\|')
}

export function unescapeCell(cell: string): string {
  return cell.trim().replaceAll('\\|', '|')
}

/** Raw cells of a table line, surrounding spaces kept, outer pipes dropped. */
export function splitCells(line: string): string[] {
  let body = line.trim()
  if (body.startsWith('|')) body = body.slice(1)
  if (body.endsWith('|') && !body.endsWith('\\|')) body = body.slice(0, -1)
  return body.split(/(?<!\\)\|/)
}

export function joinCells(cells: readonly string[]): string {
  return `|${cells.join('|')}|`
}

/** A code span that survives backticks in its content (CommonMark: a longer fence, padded). */
export function codeSpan(text: string): string {
  const runs = text.match(/`+/g) ?? []
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1)
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${text}${pad}${fence}`
}

// ── auto rows ────────────────────────────────────────────────────────────────────────────

// biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
const CONTROL = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/g

function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/**
 * A finding row's text: `` `type $.id integer→string` (a→b) on 9/9 requests: `GET /posts/{id}`
 * 9/9 — e.g. `posts.get` › `one`: integer on a, string on b ``. The pair outside code spans
 * is what coverage reads back (parseAutoFinding); the rest is for people.
 */
export function autoFindingText(f: ParityFinding): string {
  const code = (text: string) => codeSpan(printable(text))
  const endpoints = f.endpoints.slice(0, 3).map((e) => `${code(e.endpoint)} ${e.occurrences}/${e.comparisons}`)
  const more = f.endpoints.length > 3 ? ` +${f.endpoints.length - 3} more` : ''
  const message = printable(f.example.message.replace(/[\\`*_[\]<>&~]/g, (c) => `\\${c}`))
  // A merged finding names its parts, so the row still covers them in a run that does not merge them.
  const parts = f.parts.length > 1 ? ` (covers ${f.parts.join(', ')})` : ''
  // Up to MAX_NAMED_CASES cases are named, so a run of just those can show the finding gone.
  const cases =
    f.cases.length <= MAX_NAMED_CASES
      ? `in ${f.cases.length} ${f.cases.length === 1 ? 'case' : 'cases'}: ${f.cases.map(code).join(', ')}`
      : `in ${f.cases.length} cases`
  return `${code(findingTitle(f))} (${f.pair[0]}→${f.pair[1]}) on ${f.occurrences}/${f.comparisons} requests ${cases}; ${endpoints.join(', ')}${more} — e.g. ${code(f.example.caseId)} › ${code(f.example.step)}: ${message}${parts}`
}

/**
 * A row the tool opens, one per finding: status `new` (not known until a person marks it open
 * or accepted); the id is the finding's, so the row covers every divergence of the finding;
 * the evidence cell names the run's report directory as the runner wrote it (`reportDir`,
 * e.g. `reports/parity/<run-id>/` or whatever `--out` said).
 */
export function autoRow(f: ParityFinding, reportDir: string, date: string): string {
  const dir = reportDir.endsWith('/') ? reportDir : `${reportDir}/`
  const cells = [f.id, f.components.join(', '), autoFindingText(f), 'new', codeSpan(dir), date, '']
  return `| ${cells.map(escapeCell).join(' | ')} |`.replace(/ {2}\|$/, ' |')
}

const CODE_SPAN = /(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g

const MAX_NAMED_CASES = 5

/** The pair an auto row names (`(a→b)` outside code spans); undefined when a hand edit removed it. */
export function parseAutoPair(finding: string): readonly [string, string] | undefined {
  const outside = finding.replace(CODE_SPAN, '``')
  const pair = /\(([^()\s→]+)→([^()\s→]+)\)/.exec(outside)
  return pair?.[1] === undefined || pair[2] === undefined ? undefined : [pair[1], pair[2]]
}

/**
 * What a finding row (`pf-…`) says it covers: its pair, and its cases when it names them
 * (`in 2 cases: `a`, `b``); undefined when a hand edit removed the pair.
 */
export function parseFindingScope(
  finding: string,
): { readonly pair: readonly [string, string]; readonly cases?: readonly string[] } | undefined {
  const pair = parseAutoPair(finding)
  if (pair === undefined) return undefined
  const named = /\bin (\d+) cases?: ((?:`[^`]+`(?:, )?)+)/.exec(finding)
  const cases = named?.[2]?.match(/`[^`]+`/g)?.map((c) => c.slice(1, -1))
  return cases !== undefined && cases.length === Number(named?.[1]) ? { pair, cases } : { pair }
}

/**
 * What a divergence row (`pd-…`, opened before findings existed) says it covers: the case
 * (first code span) and the pair (`(a→b)` outside code spans). Undefined when a hand edit
 * removed either.
 */
export function parseAutoFinding(finding: string): { readonly caseId: string; readonly pair: readonly [string, string] } | undefined {
  const first = [...finding.matchAll(CODE_SPAN)][0]
  if (first?.[2] === undefined) return undefined
  let caseId = first[2]
  if (caseId.length > 2 && caseId.startsWith(' ') && caseId.endsWith(' ') && caseId.trim() !== '') caseId = caseId.slice(1, -1)
  const outside = finding.replace(CODE_SPAN, '``')
  const pair = /\(([^()\s→]+)→([^()\s→]+)\)/.exec(outside)
  if (pair?.[1] === undefined || pair[2] === undefined) return undefined
  return { caseId, pair: [pair[1], pair[2]] }
}
