import * as hdr from 'hdr-histogram-js'
import type { LatencySummary } from '../model.ts'

/**
 * Latency histograms in integer microseconds (HdrHistogram, 3 significant digits: any value
 * is kept within 0.1 %). autocannon's own histogram counts whole milliseconds, which turns a
 * 0.4 ms response into 0; ours is what every report figure comes from.
 */
/** The JS implementation (we never ask for WebAssembly), which also exposes the bucket arithmetic. */
export type Histogram = hdr.JsHistogram

/** One hour: anything slower is clamped to it (and still counted). */
export const HIGHEST_TRACKABLE_US = 3_600_000_000

export function createHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 32,
    autoResize: false,
    useWebAssembly: false,
  }) as Histogram
}

/** Records a latency given in (fractional) microseconds; values below 1 µs count as 1 µs. */
export function recordUs(h: Histogram, us: number): void {
  h.recordValue(Math.min(HIGHEST_TRACKABLE_US, Math.max(1, Math.round(us))))
}

export const EMPTY_SUMMARY: LatencySummary = Object.freeze({
  count: 0,
  min_us: 0,
  mean_us: 0,
  p50_us: 0,
  p90_us: 0,
  p99_us: 0,
  p999_us: 0,
  max_us: 0,
})

/**
 * Percentiles are HdrHistogram's (the highest value equivalent to the bucket, within 0.1 %).
 * min and max are taken the same way, so a summary is identical before and after an
 * encode/decode or a merge — runs merged from JSON agree with the run that wrote them.
 */
export function summarize(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return EMPTY_SUMMARY
  return {
    count: h.totalCount,
    min_us: h.lowestEquivalentValue(h.minNonZeroValue),
    mean_us: Math.round(h.mean),
    p50_us: h.getValueAtPercentile(50),
    p90_us: h.getValueAtPercentile(90),
    p99_us: h.getValueAtPercentile(99),
    p999_us: h.getValueAtPercentile(99.9),
    max_us: h.getValueAtPercentile(100),
  }
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h)
}

export function decodeHistogram(encoded: string): Histogram {
  const h = createHistogram()
  if (encoded !== '') h.add(hdr.decodeFromCompressedBase64(encoded, 32, false) as Histogram)
  return h
}

/** A new histogram holding every value of the given encoded ones (merge, compare, medians of shards). */
export function mergeEncoded(encoded: readonly string[]): Histogram {
  const out = createHistogram()
  for (const e of encoded) if (e !== '') out.add(hdr.decodeFromCompressedBase64(e, 32, false) as Histogram)
  return out
}
