import { join } from 'node:path'
import { type AppRuntime, type LaunchedApp, launchApp } from '@lakehouse/parity'
import { TOKEN } from './http-arbitraries.ts'
import { REPO_ROOT } from './repo.ts'

/** Both apps, booted at once with the same flags; every generated request goes to both. */
export interface ServerPair {
  readonly node: LaunchedApp
  readonly bun: LaunchedApp
  stop(): Promise<void>
}

/**
 * Auth on (as `pnpm parity` boots them), grant minting over HTTP on and the parity worker ids,
 * so the fuzzer reaches the token check, the grant routes and `fill` validation.
 */
export async function startPair(): Promise<ServerPair> {
  const args = ['--grant-http-mint', '--worker-ids', join(REPO_ROOT, 'parity/fixtures/worker-ids.txt')]
  const env = { LAKEHOUSE_AUTH_TOKEN: TOKEN, LAKEHOUSE_LOG_LEVEL: 'info' }
  const [node, bun] = await Promise.allSettled([launchApp('node', { args, env }), launchApp('bun', { args, env })])
  if (node.status === 'rejected' || bun.status === 'rejected') {
    for (const s of [node, bun]) if (s.status === 'fulfilled') await s.value.stop()
    throw node.status === 'rejected' ? node.reason : (bun as PromiseRejectedResult).reason
  }
  return {
    node: node.value,
    bun: bun.value,
    stop: async () => {
      await Promise.all([node.value.stop(), bun.value.stop()])
    },
  }
}

export const portOf = (app: LaunchedApp): number => Number(new URL(app.url).port)

/** The process has not exited. */
export const isAlive = (app: LaunchedApp): boolean => app.proc.exitCode === null && app.proc.signalCode === null

export async function healthStatus(app: LaunchedApp): Promise<number | string> {
  try {
    const res = await fetch(`${app.url}/health`, { signal: AbortSignal.timeout(5_000) })
    await res.arrayBuffer()
    return res.status
  } catch (e) {
    return e instanceof Error ? e.message : String(e)
  }
}

export interface LoggedFailure {
  readonly runtime: AppRuntime
  readonly reqId: string | undefined
  readonly status: number | undefined
  readonly code: string | undefined
  readonly line: string
}

/** Log lines at level error (every ≥ 500 answer is one, docs/errors.md), from line `from` on. */
export function loggedFailures(app: LaunchedApp, from = 0): LoggedFailure[] {
  const out: LoggedFailure[] = []
  for (const line of app.lines.slice(from)) {
    if (!line.includes('"error"') && !line.includes('"fatal"')) continue
    let rec: Record<string, unknown>
    try {
      rec = JSON.parse(line) as Record<string, unknown>
    } catch {
      continue
    }
    const status = typeof rec.status === 'number' ? rec.status : undefined
    if (rec.level !== 'error' && rec.level !== 'fatal' && (status ?? 0) < 500) continue
    // A refused HTTP version is answered 505 and so logged as an error by policy (≥ 500); it is the
    // client's doing, and the one 5xx the suite accepts (verdict.ts).
    if (status === 505 && rec.code === 'HTTP_VERSION_NOT_SUPPORTED') continue
    out.push({
      runtime: app.runtime,
      reqId: typeof rec.reqId === 'string' ? rec.reqId : undefined,
      status,
      code: typeof rec.code === 'string' ? rec.code : undefined,
      line: line.length > 600 ? `${line.slice(0, 600)}…` : line,
    })
  }
  return out
}
