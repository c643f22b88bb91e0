/**
 * Connection limits both apps apply to their runtime's server (docs/limits.md). One place, so
 * Node's options and Bun's agree: Bun's idle timer (10 s by default, whole seconds, at most
 * 255) is also its header timeout, and its header limit is 16 KiB like Node's.
 */
export interface ServeLimits {
  /** The request line and headers must arrive within this (Node headersTimeout; Bun idleTimeout before the handler runs). */
  readonly headersTimeoutMs: number
  /** An idle keep-alive connection is closed after this (Node keepAliveTimeout; Bun idleTimeout after an answer). */
  readonly idleTimeoutMs: number
  /** Request line plus headers (Node maxHeaderSize; Bun's fixed default is the same 16 KiB). */
  readonly maxHeaderBytes: number
}

export const SERVE_LIMITS: ServeLimits = Object.freeze({
  headersTimeoutMs: 10_000,
  idleTimeoutMs: 10_000,
  maxHeaderBytes: 16 * 1024,
})

/** Bun's idleTimeout is whole seconds in 1..255. */
export function bunIdleSeconds(ms: number): number {
  return Math.min(255, Math.max(1, Math.ceil(ms / 1000)))
}
