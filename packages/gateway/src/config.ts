import { intBetween, parseBytes, resolveWith } from '@lakehouse/kit'
import type { BodyProgressLimits } from './body-progress.ts'

export interface GatewayConfig {
  /** Which runtime serves this process; reported by /health and the only field expected to differ. */
  readonly runtime: string
  /** Hard ceiling on any request body, checked from Content-Length before a component runs. */
  readonly maxBodyBytes: number
  /**
   * Worker profiles (draft) kept per version of the `workers` dataset, least recently used
   * evicted first; about 0.75 KiB each (docs/draft.md). 0 turns the cache off.
   */
  readonly workerProfileCacheSize: number
  /** Unknown worker ids (draft 404s) remembered per version of the dataset. 0 turns it off. */
  readonly workerMissCacheSize: number
  /**
   * `fill` loads every worker id of the dataset once per version while its `row_count` is at
   * most this (about 60–90 bytes per id); above it, or at 0, each request queries the ids it needs.
   */
  readonly workerIdSetMaxRows: number
  /**
   * The least a network request body must move: `minBytes` per `windowMs` of waiting for it,
   * else 408 HTTP_BODY_TOO_SLOW and the connection closes (docs/limits.md).
   */
  readonly bodyProgress: BodyProgressLimits
}

export const gatewayDefaults: GatewayConfig = Object.freeze({
  runtime: 'unknown',
  // Above the largest component limit (256 MiB objects and CSVs) plus multipart framing, so
  // the component's own 413 — with its own code — is what a client sees at its limit.
  maxBodyBytes: parseBytes('gateway.maxBodyBytes', '257MiB'),
  workerProfileCacheSize: 50_000,
  workerMissCacheSize: 10_000,
  workerIdSetMaxRows: 1_000_000,
  bodyProgress: Object.freeze({ windowMs: 10_000, minBytes: 8 * 1024 }),
})

export function resolveGatewayConfig(input?: Partial<GatewayConfig>): Readonly<GatewayConfig> {
  return resolveWith(
    gatewayDefaults,
    input,
    {
      runtime: (v) => (typeof v === 'string' && v.length > 0 ? undefined : 'must be a non-empty string'),
      maxBodyBytes: intBetween(1, Number.MAX_SAFE_INTEGER),
      workerProfileCacheSize: intBetween(0, 10_000_000),
      workerMissCacheSize: intBetween(0, 10_000_000),
      workerIdSetMaxRows: intBetween(0, 100_000_000),
      bodyProgress: (v) =>
        intBetween(100, 3_600_000)(v.windowMs) === undefined && intBetween(0, 1024 * 1024 * 1024)(v.minBytes) === undefined
          ? undefined
          : 'needs windowMs in 100..3600000 and minBytes in 0..1GiB',
    },
    'gateway.',
  )
}
