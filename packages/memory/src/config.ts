import { configError, HTTP_LIMIT_CHECKS, type HttpLimits, intBetween, RETRY_AFTER_CHECK, resolveWith } from '@lakehouse/kit'

export interface MemoryConfig extends HttpLimits {
  /** Longest trace content (and search text), in code points (as the body schema's maxLength counts). */
  readonly maxContentChars: number
  /** Most tags on one trace or in one search. */
  readonly maxTags: number
  /** Longest tag, in characters. */
  readonly maxTagChars: number
  /** Longest idempotency key, in characters. */
  readonly maxKeyChars: number
  /** Search `limit` when the request gives none. */
  readonly defaultSearchLimit: number
  /** Largest search `limit` accepted. */
  readonly maxSearchLimit: number
  /** Records between snapshots handed to `journal.checkpoint`; 0 turns checkpointing off. */
  readonly checkpointEvery: number
  /** `Retry-After` on 503 MEMORY_CLOSED. */
  readonly retryAfterSeconds: number
}

export const memoryDefaults: MemoryConfig = Object.freeze({
  maxBodyBytes: 256 * 1024,
  maxJsonDepth: 16,
  maxContentChars: 16 * 1024,
  maxTags: 32,
  maxTagChars: 64,
  maxKeyChars: 200,
  defaultSearchLimit: 10,
  maxSearchLimit: 100,
  checkpointEvery: 10_000,
  retryAfterSeconds: 1,
})

export function resolveMemoryConfig(input?: Partial<MemoryConfig>): Readonly<MemoryConfig> {
  const resolved = resolveWith(
    memoryDefaults,
    input,
    {
      ...HTTP_LIMIT_CHECKS,
      // A record carries content JSON-escaped (at most 6 bytes per code point: a control
      // character or a lone surrogate as \uXXXX); 32 Ki code points stay under the journal's
      // 256 KiB record cap with room for tags.
      maxContentChars: intBetween(1, 32 * 1024),
      maxTags: intBetween(1, 256),
      maxTagChars: intBetween(1, 256),
      maxKeyChars: intBetween(1, 1024),
      defaultSearchLimit: intBetween(1, 10_000),
      maxSearchLimit: intBetween(1, 10_000),
      checkpointEvery: intBetween(0, 100_000_000),
      retryAfterSeconds: RETRY_AFTER_CHECK,
    },
    'memory.',
  )
  if (resolved.defaultSearchLimit > resolved.maxSearchLimit) {
    configError('memory.defaultSearchLimit', `must not exceed memory.maxSearchLimit (${resolved.maxSearchLimit})`)
  }
  return resolved
}
