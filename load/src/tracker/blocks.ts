import { lineOf, locateMarkedBlock, type MarkerPair, TrackerFormatError } from '@lakehouse/parity'

export { locateMarkedBlock, type MarkerPair }

/**
 * The load block's markers (this package owns them) and the overlap check; locating a block
 * is parity's `locateMarkedBlock`: markers match with flexible inner whitespace, each must
 * occur exactly once and in order, anything else is a TrackerFormatError naming the marker.
 */

export const LOAD_MARKERS: MarkerPair = { begin: '<!-- load:begin -->', end: '<!-- load:end -->' }

/** `start`/`end` delimit the content strictly between the two markers. */
export interface MarkedSpan {
  readonly start: number
  readonly end: number
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
