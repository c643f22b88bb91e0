/**
 * The four marker-delimited blocks of docs/ARCHITECTURE_COMPARISON.md. Everything outside
 * them is hand-written and never touched; inside, the tool owns the content (the tracker
 * block only cell by cell, see tracker-table.ts).
 */

export type BlockName = 'status' | 'tracker' | 'summary' | 'changelog'

export const TRACKER_MARKERS: Readonly<Record<BlockName, { readonly begin: string; readonly end: string }>> = {
  status: { begin: '<!-- parity:status:begin -->', end: '<!-- parity:status:end -->' },
  tracker: { begin: '<!-- tracker:begin -->', end: '<!-- tracker:end -->' },
  summary: { begin: '<!-- parity:summary:begin -->', end: '<!-- parity:summary:end -->' },
  changelog: { begin: '<!-- changelog:begin -->', end: '<!-- changelog:end -->' },
}

/** Thrown for a document the tool cannot update safely; `code` is stable, the message names the marker or row. */
export class TrackerFormatError extends Error {
  readonly code: 'PARITY_TRACKER_MARKER' | 'PARITY_TRACKER_ROW'
  constructor(code: 'PARITY_TRACKER_MARKER' | 'PARITY_TRACKER_ROW', message: string) {
    super(message)
    this.name = 'TrackerFormatError'
    this.code = code
  }
}

/** `start`/`end` delimit the content strictly between the two markers. */
export interface BlockSpan {
  readonly name: BlockName
  readonly start: number
  readonly end: number
}

/**
 * Finds one block. Markers are matched with flexible inner whitespace (`<!--tracker:begin-->`
 * is the same marker to a reader), but each must occur exactly once and in order; anything
 * else is reported as a TrackerFormatError naming the marker instead of guessing.
 */
export function locateBlock(doc: string, name: BlockName): BlockSpan {
  const begin = findMarker(doc, name, 'begin')
  const end = findMarker(doc, name, 'end')
  if (end.index < begin.index) {
    throw new TrackerFormatError(
      'PARITY_TRACKER_MARKER',
      `decisions tracker: marker ${TRACKER_MARKERS[name].end} comes before ${TRACKER_MARKERS[name].begin} (line ${lineOf(doc, end.index)})`,
    )
  }
  return { name, start: begin.index + begin.length, end: end.index }
}

/**
 * All four blocks, checked not to overlap. Every marker problem is reported at once (one
 * TrackerFormatError, one line per problem), so an empty or foreign file lists all eight
 * markers it lacks instead of one per attempt.
 */
export function locateAllBlocks(doc: string): Readonly<Record<BlockName, BlockSpan>> {
  const problems: string[] = []
  const spans: BlockSpan[] = []
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f()
    } catch (e) {
      if (!(e instanceof TrackerFormatError)) throw e
      problems.push(e.message.replace(/^decisions tracker: /, ''))
      return undefined
    }
  }
  for (const n of Object.keys(TRACKER_MARKERS) as BlockName[]) {
    // Each marker on its own first, so a block missing both reports both.
    const begin = attempt(() => findMarker(doc, n, 'begin'))
    const end = attempt(() => findMarker(doc, n, 'end'))
    if (begin === undefined || end === undefined) continue
    const span = attempt(() => locateBlock(doc, n))
    if (span !== undefined) spans.push(span)
  }
  if (problems.length === 1) throw new TrackerFormatError('PARITY_TRACKER_MARKER', `decisions tracker: ${problems[0]}`)
  if (problems.length > 1) {
    throw new TrackerFormatError(
      'PARITY_TRACKER_MARKER',
      `decisions tracker: ${problems.length} marker problems:\n${problems.map((p) => `  - ${p}`).join('\n')}${
        problems.length === 8 && problems.every((p) => p.includes(' is missing '))
          ? '\n  (no marker at all: `pnpm parity tracker init FILE` writes a new tracker)'
          : ''
      }`,
    )
  }
  const sorted = [...spans].sort((a, b) => a.start - b.start)
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]
    const cur = sorted[i]
    if (prev !== undefined && cur !== undefined && cur.start < prev.end) {
      throw new TrackerFormatError(
        'PARITY_TRACKER_MARKER',
        `decisions tracker: block ${TRACKER_MARKERS[cur.name].begin} starts inside block ${TRACKER_MARKERS[prev.name].begin}`,
      )
    }
  }
  return Object.fromEntries(spans.map((s) => [s.name, s])) as Record<BlockName, BlockSpan>
}

/** Replaces the content of several blocks at once (spans from the same document). */
export function replaceBlocks(doc: string, replacements: readonly (readonly [BlockSpan, string])[]): string {
  let out = doc
  // Right to left, so earlier offsets stay valid.
  for (const [span, content] of [...replacements].sort((a, b) => b[0].start - a[0].start)) {
    out = out.slice(0, span.start) + content + out.slice(span.end)
  }
  return out
}

export function lineOf(doc: string, index: number): number {
  let line = 1
  for (let i = 0; i < index && i < doc.length; i++) if (doc.charCodeAt(i) === 10) line++
  return line
}

function findMarker(doc: string, name: BlockName, which: 'begin' | 'end'): { index: number; length: number } {
  return findMarkerText(doc, TRACKER_MARKERS[name][which], `restore it around the ${name} block`)
}

/** A begin/end marker pair; the load generator's block uses its own pair with the same rules. */
export interface MarkerPair {
  readonly begin: string
  readonly end: string
}

/** `locateBlock` for any marker pair: the same matching rules and the same errors. */
export function locateMarkedBlock(doc: string, markers: MarkerPair): { readonly start: number; readonly end: number } {
  const fix = `restore the ${markers.begin} … ${markers.end} pair`
  const begin = findMarkerText(doc, markers.begin, fix)
  const end = findMarkerText(doc, markers.end, fix)
  if (end.index < begin.index) {
    throw new TrackerFormatError(
      'PARITY_TRACKER_MARKER',
      `decisions tracker: marker ${markers.end} comes before ${markers.begin} (line ${lineOf(doc, end.index)})`,
    )
  }
  return { start: begin.index + begin.length, end: end.index }
}

function findMarkerText(doc: string, marker: string, fix: string): { index: number; length: number } {
  const label = marker.replace(/^<!--\s*/, '').replace(/\s*-->$/, '')
  const pattern = new RegExp(`<!--\\s*${label.split(':').map(escapeRegExp).join('\\s*:\\s*')}\\s*-->`, 'g')
  const hits = [...doc.matchAll(pattern)]
  const first = hits[0]
  if (first === undefined) {
    const near = doc.indexOf(label)
    if (near >= 0) {
      throw new TrackerFormatError(
        'PARITY_TRACKER_MARKER',
        `decisions tracker: marker ${marker} is garbled at line ${lineOf(doc, near)}; write it exactly as ${marker}`,
      )
    }
    throw new TrackerFormatError('PARITY_TRACKER_MARKER', `decisions tracker: marker ${marker} is missing (${fix})`)
  }
  if (hits.length > 1) {
    throw new TrackerFormatError(
      'PARITY_TRACKER_MARKER',
      `decisions tracker: marker ${marker} occurs ${hits.length} times (lines ${hits.map((h) => lineOf(doc, h.index)).join(', ')}); keep exactly one`,
    )
  }
  return { index: first.index, length: first[0].length }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
