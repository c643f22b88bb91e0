import type { Sample } from '../model.ts'
import { summarize } from '../stats/histogram.ts'
import type { Recorder } from './recorder.ts'

/**
 * The live line during a measurement: rewritten in place on a terminal, one line every five
 * seconds otherwise (CI logs), then a final line per window.
 */
export interface ProgressSink {
  update(line: string): void
  done(line: string): void
}

export function createProgressSink(stream: NodeJS.WriteStream, quiet: boolean): ProgressSink {
  const tty = stream.isTTY === true
  let lastPrinted = 0
  return {
    update(line) {
      if (quiet) return
      if (tty) stream.write(`\r\x1b[2K${line}`)
      else if (performance.now() - lastPrinted >= 5000) {
        stream.write(`${line}\n`)
        lastPrinted = performance.now()
      }
    },
    done(line) {
      if (tty && !quiet) stream.write('\r\x1b[2K')
      stream.write(`${line}\n`)
      lastPrinted = 0
    },
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US')

export function progressLine(label: string, elapsedS: number, totalS: number, recorder: Recorder, last: Sample | undefined): string {
  const width = 20
  const filled = Math.min(width, Math.round((elapsedS / Math.max(1, totalS)) * width))
  const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`
  const p99 = summarize(recorder.requestHistogram).p99_us / 1000
  const rss = last?.rss_bytes == null ? '' : `  rss ${Math.round(last.rss_bytes / 1048576)} MiB`
  const cpu = last?.cpu_pct == null ? '' : `  cpu ${Math.round(last.cpu_pct)}%`
  return `${label} [${bar}] ${Math.min(elapsedS, totalS).toFixed(0)}/${totalS}s  scen/s ${fmt(last?.scenarios ?? 0)}  req/s ${fmt(last?.requests ?? 0)}  fail ${fmt(recorder.failuresTotal)}  req p99 ${p99.toFixed(1)}ms${rss}${cpu}  lg ${Math.round(last?.lg_cpu_pct ?? 0)}%`
}
