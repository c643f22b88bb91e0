import type { Threshold } from '../model.ts'

/**
 * `p99 < 10ms`, `p50 <= 800us`, `fail < 0.1%`, `rate > 100/s`: one metric, one comparison, one
 * number with its unit. Latencies are kept in microseconds, `fail` in percent, `rate` in
 * successful scenarios per second. Throws a plain Error with the reason; the mix loader
 * prefixes the file and path.
 */
const FORM = /^(p50|p90|p99|p999|p99\.9|max|mean|fail|rate)\s*(<=|<|>=|>)\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|%|\/s)?$/

const LATENCY_UNIT_US: Readonly<Record<string, number>> = { us: 1, µs: 1, ms: 1_000, s: 1_000_000 }

export function parseThreshold(source: string): Threshold {
  const m = FORM.exec(source.trim())
  if (m === null) throw new Error(`${JSON.stringify(source)} is not a threshold (write e.g. "p99 < 10ms", "fail < 0.1%", "rate > 100/s")`)
  const metric = (m[1] === 'p99.9' ? 'p999' : m[1]) as Threshold['metric']
  const op = m[2] as Threshold['op']
  const n = Number(m[3])
  const unit = m[4]
  if (metric === 'fail') {
    if (unit !== '%') throw new Error(`${JSON.stringify(source)}: fail is a percentage; write e.g. "fail < 0.1%"`)
    return { source, metric, op, value: n }
  }
  if (metric === 'rate') {
    if (unit !== '/s' && unit !== undefined)
      throw new Error(`${JSON.stringify(source)}: rate is scenarios per second; write e.g. "rate > 100/s"`)
    return { source, metric, op, value: n }
  }
  const scale = unit === undefined ? undefined : LATENCY_UNIT_US[unit]
  if (scale === undefined) throw new Error(`${JSON.stringify(source)}: a latency needs a unit (us, ms or s)`)
  return { source, metric, op, value: n * scale }
}

export function thresholdHolds(t: Threshold, value: number): boolean {
  switch (t.op) {
    case '<':
      return value < t.value
    case '<=':
      return value <= t.value
    case '>':
      return value > t.value
    case '>=':
      return value >= t.value
  }
}
