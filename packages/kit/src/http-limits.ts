import { type Check, intBetween } from './config.ts'
import type { JsonBodyLimits } from './json-body.ts'

/**
 * The limits a component with JSON routes declares in its config. The values differ by
 * component on purpose (a grant is a few hundred bytes, an embed batch megabytes), but what
 * they mean, the ranges a config may set and how a route turns them into readJsonBody's limits
 * are one rule, kept here.
 */
export interface HttpLimits {
  /** Largest request body a route reads, in bytes (413 HTTP_BODY_TOO_LARGE past it). */
  readonly maxBodyBytes: number
  /** Deepest array/object nesting accepted in a body (400 HTTP_JSON_TOO_DEEP past it). */
  readonly maxJsonDepth: number
}

/** The checks for HttpLimits, spread into a component's resolveWith checks. */
export const HTTP_LIMIT_CHECKS: { readonly [K in keyof HttpLimits]: Check<number> } = Object.freeze({
  maxBodyBytes: intBetween(1024, 1024 * 1024 * 1024),
  maxJsonDepth: intBetween(2, 1024),
})

/** `Retry-After` seconds on a 503/409 that asks the client to come back. */
export const RETRY_AFTER_CHECK: Check<number> = intBetween(1, 3600)

/** What readJsonBody takes, from a component's config. */
export function jsonBodyLimits(config: HttpLimits): JsonBodyLimits {
  return { maxBytes: config.maxBodyBytes, maxDepth: config.maxJsonDepth }
}
