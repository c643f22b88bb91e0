import type { Logger } from '@lakehouse/kit'

export interface ShutdownPlan {
  /** Stops accepting and resolves once in-flight requests finish. */
  readonly drain: () => Promise<void>
  /** Drops whatever is still open; called when draining outlives the timeout. */
  readonly force: () => void
  readonly close: () => Promise<void>
  readonly timeoutMs: number
  readonly logger: Logger
}

/**
 * The shutdown policy both apps share: on the first SIGTERM/SIGINT drain within the timeout,
 * then close the components and exit 0; a second signal exits 1 at once.
 */
export function installShutdown(
  plan: ShutdownPlan,
  exit: (code: number) => void,
  on: (signal: 'SIGTERM' | 'SIGINT', fn: () => void) => void,
): void {
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) {
      plan.logger.warn('second signal, exiting now', { signal })
      exit(1)
      return
    }
    stopping = true
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
