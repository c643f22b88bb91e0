/**
 * The one file that knows autocannon's internals (pinned to 9.0.0 in package.json). The load
 * generator needs three things autocannon's options do not give: per-connection flow state,
 * the moment a connection is about to send (to start a scenario, or to hold it back in the
 * open model), and why a sent request got no answer. Behaviours relied on, each pinned by
 * `test/autocannon-behaviour.test.ts`:
 *
 * 1. `setupClient(client)` runs inside the Client constructor after its RequestIterator exists
 *    and before the connection opens, so a wrapped `_doRequest` sees the very first request.
 * 2. Every request goes through `client._doRequest()`: after each response, after a timeout
 *    (which destroys the socket and reconnects), and after a connection error or a close by the
 *    peer (which reconnect). A call while a request is still unanswered therefore means that
 *    request was lost.
 * 3. `setupRequest` returning a falsy value at index > 0 restarts the list at index 0 with a
 *    fresh context (autocannon counts it in `resets`); the list also wraps at its end.
 * 4. The `'response'` event carries the time from the request's write to the complete response
 *    in fractional milliseconds (process.hrtime); `onResponse` runs just before it, synchronously.
 * 5. `'connError'` is emitted before the reconnect; `'timeout'` after it (same tick).
 * 6. autocannon's `requests` total counts one request per connection at construction; a
 *    connection whose first request we hold back (open model) is therefore counted once more.
 * 7. The response body reaches `onResponse` as a string joined from chunks decoded one by one.
 * 8. Every later request is built by `requestIterator.requestBuilder(entry, context)` (called
 *    when the entry has a `setupRequest`), so replacing it puts our own bytes on the wire; a
 *    null from it restarts at index 0 like a falsy `setupRequest`.
 */

export interface RequestIteratorInternals {
  context: Record<string, unknown>
  /** (the current `requests` entry, the context) → the request's bytes, or null to restart at 0. */
  requestBuilder: (entry: unknown, context: Record<string, unknown>) => Buffer | null
  currentRequestIndex: number
  readonly requests: readonly unknown[]
  resetContext(): void
}

export interface ClientInternals {
  _doRequest(): void
  readonly requestIterator: RequestIteratorInternals
  readonly timeoutTicker: { reschedule(ms: number): void }
  readonly reqsMade: number
  readonly destroyed: boolean
  on(event: 'response', listener: (status: number, bytes: number, durationMs: number) => void): void
  on(event: 'timeout', listener: () => void): void
  on(event: 'connError', listener: (error: NodeJS.ErrnoException) => void): void
}

/** Makes the next `_doRequest` start the list again at index 0 with a fresh context (no `reset` counted). */
export function restartFlowList(client: ClientInternals): void {
  client.requestIterator.currentRequestIndex = client.requestIterator.requests.length - 1
}
