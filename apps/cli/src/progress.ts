/**
 * One progress line on stderr: rewritten in place on a TTY, every 10% otherwise, so long
 * uploads and generations show they are alive without flooding CI logs.
 */
export interface Progress {
  update(done: number): void
  finish(summary: string): void
}

const MIB = 1024 * 1024

export function formatBytes(n: number): string {
  return n >= MIB ? `${(n / MIB).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`
}

export function createProgress(
  label: string,
  total: number | undefined,
  unit: 'bytes' | 'rows',
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  const started = performance.now()
  const tty = stream.isTTY === true
  let lastDraw = 0
  let lastDecile = -1
  const fmt = (n: number) => (unit === 'bytes' ? formatBytes(n) : n.toLocaleString('en-US'))
  const line = (done: number) => {
    const secs = (performance.now() - started) / 1000
    const rate = secs > 0 ? done / secs : 0
    const pct = total !== undefined && total > 0 ? ` (${Math.floor((done / total) * 100)}%)` : ''
    return `${label}: ${fmt(done)}${total === undefined ? '' : ` / ${fmt(total)}`}${pct} · ${fmt(Math.round(rate))}/s`
  }
  return {
    update(done) {
      const now = performance.now()
      if (tty) {
        if (now - lastDraw < 100) return
        lastDraw = now
        stream.write(`\r${line(done)}\u001b[K`)
        return
      }
      const decile = total !== undefined && total > 0 ? Math.floor((done / total) * 10) : -1
      if (decile > lastDecile) {
        lastDecile = decile
        stream.write(`${line(done)}\n`)
      }
    },
    finish(summary) {
      stream.write(`${tty ? '\r\u001b[K' : ''}${summary}\n`)
    },
  }
}
