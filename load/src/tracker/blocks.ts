import { lineOf, TrackerFormatError } from '@lakehouse/parity'

/**
 * parity's block locator (parity/src/tracker/tracker-blocks.ts) generalised to any marker
 * pair, for the load block and for finding the change-log block next to it: markers match
 * with flexible inner whitespace, each must occur exactly once and in order, and anything
 * else is a TrackerFormatError naming the marker.
 */

export interface MarkerPair {
  readonly begin: string
  readonly end: string
}

export const LOAD_MARKERS: MarkerPair = { begin: '<!-- load:begin -->', end: '<!-- load:end -->' }

/** `start`/`end` delimit the content strictly between the two markers. */
export interface MarkedSpan {
  readonly start: number
  readonly end: number
}

export function locateMarkedBlock(doc: string, markers: MarkerPair): MarkedSpan {
  const begin = findMarker(doc, markers.begin, markers)
  const end = findMarker(doc, markers.end, markers)
  if (end.index < begin.index) {
    throw new TrackerFormatError(
      'PARITY_TRACKER_MARKER',
      `decisions tracker: marker ${markers.end} comes before ${markers.begin} (line ${lineOf(doc, end.index)})`,
    )
  }
  return { start: begin.index + begin.length, end: end.index }
}

/** Throws unless the two spans are disjoint (one block may not sit inside another). */
export function assertDisjoint(
  doc: string,
  a: MarkedSpan & { readonly markers: MarkerPair },
  b: MarkedSpan & { readonly markers: MarkerPair },
): void {
  if (a.start < b.end && b.start < a.end) {
    const [outer, inner] = a.start < b.start ? [a, b] : [b, a]
    throw new TrackerFormatError(
      'PARITY_TRACKER_MARKER',
      `decisions tracker: block ${inner.markers.begin} (line ${lineOf(doc, inner.start)}) starts inside block ${outer.markers.begin}`,
    )
  }
}

function findMarker(doc: string, marker: string, pair: MarkerPair): { index: number; length: number } {
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
    throw new TrackerFormatError(
      'PARITY_TRACKER_MARKER',
      `decisions tracker: marker ${marker} is missing (restore the ${pair.begin} … ${pair.end} pair)`,
    )
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
