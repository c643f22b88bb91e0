import { randomBytes } from 'node:crypto'
import { AUTH_TOKEN_ENV, bearerAuthorization } from '@lakehouse/kit'
import type { AppRuntime } from '@lakehouse/launch'
import type { TargetInfo } from '../model.ts'
import { type ClientTimeouts, createTargetClient, DEFAULT_TIMEOUTS, type TargetClient } from './http-client.ts'
import { type LaunchedApp, launchApp, TargetError } from './launch.ts'

/** Either an app this repository boots (`runtime`) or a running service (`url`). */
/**
 * A target to boot or to reach. `headers` are sent with every request to it, over the token's
 * `authorization` (an empty value sends none): per-target auth for services that do not share
 * a token (`--target-header`).
 */
export type TargetSpec = ({ readonly name: string; readonly runtime: AppRuntime } | { readonly name: string; readonly url: string }) & {
  readonly headers?: Readonly<Record<string, string>>
}

export interface RunningTarget {
  readonly info: TargetInfo
  readonly client: TargetClient
  readonly app?: LaunchedApp
}

export interface TargetSet {
  readonly targets: readonly RunningTarget[]
  stop(): Promise<void>
}

const NAME = /^[A-Za-z0-9_.-]{1,40}$/

/** `name=url,name=url` or bare URLs (named a, b, c…); throws TargetError on anything else. */
export function parseTargetList(text: string, minTargets = 2): TargetSpec[] {
  const specs = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((item, i): TargetSpec => {
      const eq = item.indexOf('=')
      const name = eq > 0 && !item.slice(0, eq).includes(':') ? item.slice(0, eq) : String.fromCharCode(97 + i)
      const value = eq > 0 && !item.slice(0, eq).includes(':') ? item.slice(eq + 1) : item
      if (value === 'node' || value === 'bun') return { name, runtime: value }
      return { name, url: value }
    })
  validateSpecs(specs, minTargets)
  return specs
}

/** Parity compares, so it needs two targets; a load run can measure one. */
export function validateSpecs(specs: readonly TargetSpec[], minTargets = 2): void {
  if (specs.length < minTargets)
    throw new TargetError(`need at least ${minTargets === 2 ? 'two targets' : `${minTargets} target(s)`}, got ${specs.length}`)
  const names = new Set<string>()
  for (const s of specs) {
    if (!NAME.test(s.name)) throw new TargetError(`target name ${JSON.stringify(s.name)} must match ${NAME}`)
    if (names.has(s.name)) throw new TargetError(`target name ${s.name} is used twice`)
    names.add(s.name)
    if ('url' in s) {
      let u: URL
      try {
        u = new URL(s.url)
      } catch {
        throw new TargetError(`target ${s.name}: ${JSON.stringify(s.url)} is not a URL`)
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TargetError(`target ${s.name}: only http(s) URLs are supported`)
    }
  }
}

async function probeHealth(client: TargetClient, name: string): Promise<{ runtime?: string; version?: string }> {
  let res: Awaited<ReturnType<TargetClient['send']>>
  try {
    res = await client.send({ method: 'GET', path: '/health', headers: {}, body: undefined })
  } catch (e) {
    throw new TargetError(`target ${name} (${client.origin}) is not reachable: ${e instanceof Error ? e.message : String(e)}`)
  }
  // A foreign service without /health is still a valid target; it just reports no runtime.
  if (res.status !== 200 || res.body.kind !== 'json') return {}
  try {
    const h = JSON.parse(res.body.text) as { runtime?: unknown; version?: unknown }
    return {
      ...(typeof h.runtime === 'string' ? { runtime: h.runtime } : {}),
      ...(typeof h.version === 'string' ? { version: h.version } : {}),
    }
  } catch {
    return {}
  }
}

/**
 * The bearer token for a run: the user's (--token, LAKEHOUSE_AUTH_TOKEN) when given, else a
 * fresh one, so the apps an instrument boots always serve with auth on, as on a network.
 */
export function runToken(given: string | undefined): string {
  return given ?? randomBytes(24).toString('hex')
}

/** Launch env and client headers for apps booted with `token`. */
export function bootedAuth(token: string): { env: Record<string, string>; headers: Record<string, string> } {
  return { env: { [AUTH_TOKEN_ENV]: token }, headers: { authorization: bearerAuthorization(token) } }
}

/** The run's headers for a target with its own laid over them; an empty value removes one. */
function withOwnHeaders(base: Readonly<Record<string, string>>, own: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = { ...base }
  for (const [name, value] of Object.entries(own ?? {})) {
    if (value === '') delete out[name]
    else out[name] = value
  }
  return out
}

/**
 * Boots the app targets in parallel (fresh state directories, free ports), connects to URL
 * targets, and checks each answers. On any failure everything already started is stopped.
 * Booted apps get the run's token; URL targets get the given token, if any.
 */
export async function startTargets(
  specs: readonly TargetSpec[],
  timeouts: ClientTimeouts = DEFAULT_TIMEOUTS,
  appArgs: readonly string[] = [],
  token?: string,
): Promise<TargetSet> {
  const booted = bootedAuth(runToken(token))
  const urlHeaders = token === undefined ? {} : bootedAuth(token).headers
  validateSpecs(specs)
  const started: RunningTarget[] = []
  const stop = async () => {
    await Promise.allSettled(started.map(async (t) => Promise.all([t.client.close(), t.app?.stop()])))
  }
  try {
    const launched = await Promise.allSettled(
      specs.map(async (s) => ('runtime' in s ? launchApp(s.runtime, { args: appArgs, env: booted.env }) : undefined)),
    )
    for (const [i, spec] of specs.entries()) {
      const l = launched[i]
      if (l?.status === 'rejected') {
        // Stop the ones that did boot before reporting.
        for (const other of launched) if (other.status === 'fulfilled') await other.value?.stop()
        throw l.reason instanceof TargetError ? l.reason : new TargetError(String(l.reason))
      }
      const app = l?.status === 'fulfilled' ? l.value : undefined
      const url = 'url' in spec ? spec.url : (app?.url ?? '')
      const client = createTargetClient(url, timeouts, withOwnHeaders(app === undefined ? urlHeaders : booted.headers, spec.headers))
      started.push({ info: { name: spec.name, url, booted: app !== undefined }, client, ...(app === undefined ? {} : { app }) })
    }
    for (const [i, t] of started.entries()) {
      const health = await probeHealth(t.client, t.info.name)
      started[i] = { ...t, info: { ...t.info, ...health } }
    }
    return { targets: started, stop }
  } catch (e) {
    await stop()
    throw e
  }
}
