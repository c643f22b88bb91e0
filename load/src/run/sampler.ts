import type { Sample } from '../model.ts'
import { cpuPercent, type ProcReading, readProcTree } from './proc-sampler.ts'
import type { Recorder } from './recorder.ts'

/**
 * Once a second during a measurement window: finished scenarios, requests and failures in
 * that second (from the recorder's counters), the server's RSS and CPU, and this process's
 * own CPU. `onSample` feeds the live progress line.
 */
export interface Sampler {
  stop(): Sample[]
}

export function startSampler(recorder: Recorder, pid: number | undefined, onSample?: (s: Sample) => void): Sampler {
  const samples: Sample[] = []
  const t0 = performance.now()
  let last = { scenarios: 0, requests: 0, failures: 0 }
  let proc: ProcReading | undefined = pid === undefined ? undefined : readProcTree(pid)
  let cpu = process.cpuUsage()
  let cpuAt = performance.now()
  const take = () => {
    const now = performance.now()
    const cur = { scenarios: recorder.scenariosFinished, requests: recorder.responses, failures: recorder.failuresTotal }
    const reading = pid === undefined ? undefined : readProcTree(pid)
    const lg = process.cpuUsage(cpu)
    const lgPct = ((lg.user + lg.system) / 1000 / Math.max(1, now - cpuAt)) * 100
    const s: Sample = {
      t_s: Math.round((now - t0) / 100) / 10,
      scenarios: cur.scenarios - last.scenarios,
      requests: cur.requests - last.requests,
      failures: cur.failures - last.failures,
      rss_bytes: reading?.rssBytes ?? null,
      cpu_pct: reading === undefined || proc === undefined ? null : Math.round(cpuPercent(proc, reading) * 10) / 10,
      lg_cpu_pct: Math.round(lgPct * 10) / 10,
    }
    samples.push(s)
    onSample?.(s)
    last = cur
    proc = reading ?? proc
    cpu = process.cpuUsage()
    cpuAt = now
  }
  const timer = setInterval(take, 1000)
  return {
    stop() {
      clearInterval(timer)
      return samples
    },
  }
}
