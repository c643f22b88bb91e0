import { isProblem, type Logger } from '@lakehouse/kit'

/** How long a process waits at start for an upstream it needs to read from (its catalog, its embedder). */
export const UPSTREAM_START_WAIT_MS = 30_000
const RETRY_EVERY_MS = 250

/**
 * Runs a start-up call to an upstream, retrying while it is unreachable: the processes of a
 * split deployment start in any order, so the front may be up before the data plane. Bounded
 * in time; the last refusal is what the boot fails with. Any other failure is final at once.
 */
export async function whenUpstreamAnswers<T>(
  name: string,
  call: () => Promise<T>,
  logger: Logger,
  waitMs = UPSTREAM_START_WAIT_MS,
): Promise<T> {
  const deadline = performance.now() + waitMs
  let told = false
  for (;;) {
    try {
      return await call()
    } catch (err) {
      const unreachable = isProblem(err) && err.code === 'GATEWAY_UPSTREAM_UNAVAILABLE'
      if (!unreachable || performance.now() + RETRY_EVERY_MS > deadline) throw err
      if (!told) {
        logger.warn('waiting for upstream', { upstream: name, waitMs })
        told = true
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS))
    }
  }
}
