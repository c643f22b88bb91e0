/**
 * One request and the answer it got, as real traffic shows it: what the recording proxy
 * (`pnpm parity record`), a HAR file (`pnpm parity import-har`) and shadow mode
 * (`pnpm parity shadow`) all produce, and what the corpus writer turns into cases.
 */
import type { ObservedBody } from '../model.ts'

export interface Exchange {
  /** When the request started (ISO 8601); exchanges are kept in this order. */
  readonly startedAt: string
  /** Upper-case method. */
  readonly method: string
  /** Origin-form target as sent: path plus query (`/posts?_page=2`), never a full URL. */
  readonly target: string
  /** Lower-case names; repeated headers joined with ", " (as `Observed` does). */
  readonly requestHeaders: Readonly<Record<string, string>>
  readonly requestBody: ObservedBody
  readonly status: number
  readonly responseHeaders: Readonly<Record<string, string>>
  readonly responseBody: ObservedBody
  /** Time to the full response, milliseconds. */
  readonly durationMs: number
}
