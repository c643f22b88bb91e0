import { readdirSync, readFileSync } from 'node:fs'

/**
 * Server resources from /proc (Linux): RSS and CPU of a process and all its descendants
 * (a runtime may fork helpers; DuckDB and usearch run threads, which /proc/<pid>/stat
 * already sums). Elsewhere, or for a pid that is gone, readings are null rather than guesses.
 */

/** Kernel clock ticks per second (USER_HZ): 100 on every Linux architecture Node supports. */
const CLOCK_TICKS = 100

interface ProcStat {
  readonly ppid: number
  /** utime + stime, clock ticks. */
  readonly ticks: number
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) }
  } catch {
    return undefined
  }
}

function readRss(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m?.[1] === undefined ? 0 : Number(m[1]) * 1024
  } catch {
    return 0
  }
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>()
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return [root]
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue
    const st = readStat(Number(e))
    if (st === undefined) continue
    const list = children.get(st.ppid) ?? []
    list.push(Number(e))
    children.set(st.ppid, list)
  }
  const out: number[] = []
  const stack = [root]
  // Bounded: a process tree cannot hold more entries than /proc listed.
  while (stack.length > 0 && out.length <= entries.length) {
    const pid = stack.pop() as number
    out.push(pid)
    stack.push(...(children.get(pid) ?? []))
  }
  return out
}

export interface ProcReading {
  readonly rssBytes: number
  readonly cpuTicks: number
  readonly atMs: number
}

/** One reading of the tree under `pid`, or undefined when the process is gone or /proc is absent. */
export function readProcTree(pid: number): ProcReading | undefined {
  if (readStat(pid) === undefined) return undefined
  let rss = 0
  let ticks = 0
  for (const p of descendants(pid)) {
    const st = readStat(p)
    if (st === undefined) continue
    ticks += st.ticks
    rss += readRss(p)
  }
  return { rssBytes: rss, cpuTicks: ticks, atMs: performance.now() }
}

/** CPU between two readings as % of one core. */
export function cpuPercent(a: ProcReading, b: ProcReading): number {
  const dt = (b.atMs - a.atMs) / 1000
  return dt <= 0 ? 0 : ((b.cpuTicks - a.cpuTicks) / CLOCK_TICKS / dt) * 100
}
