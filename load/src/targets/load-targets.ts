import { rmSync } from 'node:fs'
import { type AppRuntime, bootedAuth, type LaunchedApp, launchApp, runToken, TargetError } from '@lakehouse/parity'
import type { TargetInfo } from '../model.ts'
import { copyPrepared, type PreparedCorpus } from './corpus-cache.ts'
import { type Pinning, pinServer } from './pinning.ts'

/**
 * The load run's targets: apps this repository boots (fresh data directory each, seeded from
 * the prepared corpus when the mix needs one, pinned to the server cores) or services given by
 * URL (with an optional pid so their RSS and CPU can be read). Parity's target list syntax
 * and launcher are reused; parity's undici clients are not needed here.
 */
export type LoadTargetSpec =
  | { readonly name: string; readonly runtime: AppRuntime }
  | { readonly name: string; readonly url: string; readonly pid?: number }

export interface LoadTarget {
  readonly info: TargetInfo
  readonly url: string
  /** Headers every request carries (the bearer token). */
  readonly headers: Readonly<Record<string, string>>
  readonly pid?: number
  readonly app?: LaunchedApp
}

export interface LoadTargetSet {
  readonly targets: readonly LoadTarget[]
  stop(): Promise<void>
}

async function probe(url: string, name: string): Promise<{ runtime?: string; version?: string }> {
  let res: Response
  try {
    res = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(10_000) })
  } catch (e) {
    throw new TargetError(`target ${name} (${url}) is not reachable: ${e instanceof Error ? e.message : String(e)}`)
  }
  const text = await res.text()
  // A service without /health (or another shape) is still a valid target; it just names no runtime.
  if (res.status !== 200) return {}
  try {
    const h = JSON.parse(text) as { runtime?: unknown; version?: unknown }
    return {
      ...(typeof h.runtime === 'string' ? { runtime: h.runtime } : {}),
      ...(typeof h.version === 'string' ? { version: h.version } : {}),
    }
  } catch {
    return {}
  }
}

/**
 * Boots or connects every target, one after the other; on any failure the ones started are
 * stopped. Booted apps serve with auth on (the given token or a fresh one), as on a network.
 */
export async function startLoadTargets(
  specs: readonly LoadTargetSpec[],
  options: {
    readonly prepared?: PreparedCorpus
    readonly pinning: Pinning | null
    readonly log: (line: string) => void
    /** Sent to URL targets, and served by the booted apps. */
    readonly token?: string
  },
): Promise<LoadTargetSet> {
  const booted = bootedAuth(runToken(options.token))
  const urlHeaders = options.token === undefined ? {} : bootedAuth(options.token).headers
  const started: LoadTarget[] = []
  const dirs: string[] = []
  const stop = async () => {
    await Promise.allSettled(started.map((t) => t.app?.stop()))
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  }
  try {
    for (const spec of specs) {
      if ('url' in spec) {
        const health = await probe(spec.url, spec.name)
        started.push({
          info: { name: spec.name, url: spec.url, booted: false, ...health, ...(spec.pid === undefined ? {} : { pid: spec.pid }) },
          url: spec.url,
          headers: urlHeaders,
          ...(spec.pid === undefined ? {} : { pid: spec.pid }),
        })
        continue
      }
      const dataDir = options.prepared === undefined ? undefined : copyPrepared(options.prepared, spec.runtime)
      if (dataDir !== undefined) dirs.push(dataDir)
      // warn: one access-log line per request would cost the server CPU the mix should get.
      const app = await launchApp(spec.runtime, {
        args: ['--log-level', 'warn'],
        env: booted.env,
        ...(dataDir === undefined ? {} : { dataDir }),
      })
      const pid = app.proc.pid
      started.push({
        info: { name: spec.name, url: app.url, booted: true },
        url: app.url,
        headers: booted.headers,
        app,
        ...(pid === undefined ? {} : { pid }),
      })
      if (pid !== undefined && options.pinning !== null && !pinServer(options.pinning, pid))
        options.log(`warning: could not pin ${spec.name} (pid ${pid}) to cpu ${options.pinning.server}`)
      const health = await probe(app.url, spec.name)
      const last = started[started.length - 1] as LoadTarget
      started[started.length - 1] = { ...last, info: { ...last.info, ...health, ...(pid === undefined ? {} : { pid }) } }
    }
    return { targets: started, stop }
  } catch (e) {
    await stop()
    throw e
  }
}
