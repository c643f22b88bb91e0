/**
 * What happened to every client request of a shadow run. Each answered request lands in
 * exactly one of `mirrored`, `dropped`, `skippedUnsafe`, `skippedLarge` or `primaryErrors`,
 * and each mirrored one, once settled, in `compared` or `mirrorErrors` — the counts add up
 * exactly, which the tests and the terminal rely on.
 */
export interface ShadowCounters {
  /** Client requests answered (or failed) by the primary; the live page is not counted. */
  requests: number
  /** Accepted into every mirror queue. */
  mirrored: number
  /** Not mirrored: a mirror queue was full. */
  dropped: number
  /** Not mirrored: a write (POST, PUT, PATCH, DELETE, …) without `--mirror-writes`. */
  skippedUnsafe: number
  /** Not mirrored: the request or the primary's response was over the copy limit. */
  skippedLarge: number
  /** The primary did not answer (the client got a 502) or broke off; not mirrored. */
  primaryErrors: number
  /** Mirrored, but the candidate or the secondary failed or timed out (or the run stopped first): not compared. */
  mirrorErrors: number
  /** Of `mirrorErrors`, those that ran out of `--timeout`. */
  mirrorTimeouts: number
  /** Of `mirrorErrors`, those the run stopped first: still queued at stop (never sent), or cut off in flight after the grace period. */
  abandoned: number
  /** Mirrored and compared. */
  compared: number
  /** Per mirror target: the most mirrors its queue ever held (never above `--queue`). */
  queueHighWater: Record<string, number>
  /** Per mirror target: the times its queue was the one full when a mirror was dropped. */
  droppedAt: Record<string, number>
  /** The last few mirror and primary errors, newest last. */
  lastErrors: string[]
}

export function emptyCounters(): ShadowCounters {
  return {
    requests: 0,
    mirrored: 0,
    dropped: 0,
    skippedUnsafe: 0,
    skippedLarge: 0,
    primaryErrors: 0,
    mirrorErrors: 0,
    mirrorTimeouts: 0,
    abandoned: 0,
    compared: 0,
    queueHighWater: {},
    droppedAt: {},
    lastErrors: [],
  }
}

const LAST_ERRORS = 5

export function noteError(c: ShadowCounters, message: string): void {
  c.lastErrors.push(message)
  if (c.lastErrors.length > LAST_ERRORS) c.lastErrors.shift()
}

/** One line per group, for the terminal after the findings. */
export function countersText(c: ShadowCounters): string {
  const queues = Object.entries(c.queueHighWater)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ')
  return [
    `shadow: ${c.requests} requests · ${c.mirrored} mirrored · ${c.dropped} dropped (queue full) · ${c.skippedUnsafe} writes not mirrored · ${c.skippedLarge} over the copy limit · ${c.primaryErrors} primary errors`,
    `mirrors: ${c.compared} compared · ${c.mirrorErrors} errors (${c.mirrorTimeouts} timeouts, ${c.abandoned} abandoned at stop) · queue high water ${queues || '-'}`,
    ...c.lastErrors.map((e) => `  ! ${e}`),
    '',
  ].join('\n')
}
