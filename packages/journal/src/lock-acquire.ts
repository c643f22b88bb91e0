import { setTimeout as sleep } from 'node:timers/promises'
import { journalErrors } from './errors.ts'
import type { FileLock } from './types.ts'

/** Polls that only yield to the event loop before the first sleep: a commit holds the lock ~0.2–0.5 ms. */
const YIELD_POLLS = 16

const yieldOnce = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Takes the kernel lock without ever blocking the thread: a few polls that only yield (a
 * holder's write+fsync usually ends within them), then sleeps of 1 → 4 ms so the event loop
 * keeps serving while another process commits; bounded by `timeoutMs`. Returns the time waited.
 */
export async function acquireLock(lock: FileLock, fd: number, timeoutMs: number, dir: string): Promise<number> {
  const started = performance.now()
  if (lock.tryLock(fd)) return 0
  for (let i = 0; i < YIELD_POLLS; i++) {
    await yieldOnce()
    if (lock.tryLock(fd)) return performance.now() - started
  }
  let delay = 1
  for (;;) {
    const waited = performance.now() - started
    if (waited >= timeoutMs) {
      throw journalErrors.problem('JOURNAL_LOCK_TIMEOUT', {
        detail: `the journal lock of ${dir} was held by another process for over ${timeoutMs} ms`,
        headers: { 'retry-after': '1' },
      })
    }
    await sleep(delay)
    if (lock.tryLock(fd)) return performance.now() - started
    delay = Math.min(delay * 2, 4)
  }
}
