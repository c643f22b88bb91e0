export const REQUEST_ID_HEADER = 'x-request-id'

// Visible ASCII without spaces or quotes keeps the id safe to echo in headers and log lines.
const ACCEPTABLE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/

/** Honours a well-formed incoming `X-Request-Id`; otherwise mints a UUIDv4. */
export function requestIdFor(headers: Headers): string {
  const incoming = headers.get(REQUEST_ID_HEADER)
  if (incoming !== null && ACCEPTABLE_ID.test(incoming)) return incoming
  return crypto.randomUUID()
}
