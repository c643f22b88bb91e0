import { configError, intBetween, resolveWith } from '@lakehouse/kit'

export interface MemoryConfig {
  /** Largest request body accepted, in bytes. */
  readonly maxBodyBytes: number
  /** Deepest array/object nesting accepted in a request body (bodies are flat; this only stops abuse early). */
  readonly maxJsonDepth: number
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
      maxBodyBytes: intBetween(1024, 64 * 1024 * 1024),
      maxJsonDepth: intBetween(4, 1024),
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
      retryAfterSeconds: intBetween(1, 3600),
    },
    'memory.',
  )
  if (resolved.defaultSearchLimit > resolved.maxSearchLimit) {
    configError('memory.defaultSearchLimit', `must not exceed memory.maxSearchLimit (${resolved.maxSearchLimit})`)
  }
  return resolved
}
