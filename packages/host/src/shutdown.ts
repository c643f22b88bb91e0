import type { Logger } from '@lakehouse/kit'

export interface ShutdownPlan {
  /** Stops accepting and resolves once in-flight requests finish. */
  readonly drain: () => Promise<void>
  /** Drops whatever is still open; called when draining outlives the timeout. */
  readonly force: () => void
  readonly close: () => Promise<void>
  readonly timeoutMs: number
  readonly logger: Logger
  /** Milliseconds clock (default performance.now); tests pass their own. */
  readonly now?: () => number
}

/**
 * The same signal again within this many ms is one delivery reaching the process twice, not a
 * person insisting: Ctrl-C signals the terminal's whole foreground process group, so a server
 * under `lakehouse serve` gets it from the terminal and again forwarded by the CLI (which must
 * forward: `kill -INT <cli pid>` reaches only the CLI); systemd signals every process of the unit.
 */
export const DUPLICATE_SIGNAL_MS = 250

/**
 * The shutdown policy both apps share: on the first SIGTERM/SIGINT drain within the timeout,
 * then close the components and exit 0; a second signal exits 1 at once (the same signal within
 * DUPLICATE_SIGNAL_MS of the first is the same delivery, and is ignored).
 */
export function installShutdown(
  plan: ShutdownPlan,
  exit: (code: number) => void,
  on: (signal: 'SIGTERM' | 'SIGINT', fn: () => void) => void,
): void {
  const now = plan.now ?? (() => performance.now())
  let first: { signal: string; at: number } | undefined
  const stop = (signal: string) => {
    if (first !== undefined) {
      if (signal === first.signal && now() - first.at < DUPLICATE_SIGNAL_MS) {
        plan.logger.debug('duplicate signal ignored', { signal })
        return
      }
      plan.logger.warn('second signal, exiting now', { signal })
      exit(1)
      return
    }
    first = { signal, at: now() }
    plan.logger.info('shutting down', { signal, timeoutMs: plan.timeoutMs })
    let timer: ReturnType<typeof setTimeout> | undefined
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), plan.timeoutMs)
    })
    Promise.race([plan.drain().then(() => 'drained' as const), timedOut])
      .then(async (outcome) => {
        if (timer !== undefined) clearTimeout(timer)
        if (outcome === 'timeout') {
          plan.logger.warn('drain timed out, closing open connections', { timeoutMs: plan.timeoutMs })
          plan.force()
        }
        await plan.close()
        plan.logger.info('stopped', { signal })
        exit(0)
      })
      .catch((err: unknown) => {
        plan.logger.error('shutdown failed', { err })
        exit(1)
      })
  }
  on('SIGTERM', () => stop('SIGTERM'))
  on('SIGINT', () => stop('SIGINT'))
}
