/**
 * The endpoint a step exercised, as findings count it: the method and the path template with
 * the query dropped and ids generalised — `GET /workers/{id}` for `/workers/{{id}}`,
 * `/workers/42` and `/workers/9f1c…`. Placeholders in the case are ids by construction; a
 * literal segment is taken for one when it looks generated rather than named (below), since
 * parity also runs against services whose routes it does not know.
 */

const PLACEHOLDER = /\{\{[^{}]*\}\}/g
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Numbers, UUIDs, and tokens of 6+ characters at least 40 % digits (`W00042`, `0f9a8b7c6d`,
 * `2026-12-05`): what servers mint. Names (`parity_workers`, `v1`, `a.txt`) stay.
 */
export function looksLikeId(segment: string): boolean {
  if (/^\d+$/.test(segment) || UUID.test(segment)) return true
  if (!/^[0-9A-Za-z_.:~-]{6,}$/.test(segment)) return false
  const digits = segment.replace(/\D/g, '').length
  return digits >= 3 && digits / segment.length >= 0.4
}

/** Every id is `{id}`, whatever a case named its variable, so two cases of one route meet. */
function generalise(segment: string): string {
  if (segment.includes('{{')) return segment.replace(PLACEHOLDER, '{id}')
  return looksLikeId(segment) ? '{id}' : segment
}

/** `GET /workers/{id}`: the method upper-cased, the path without query or fragment, ids generalised. */
export function endpointOf(method: string, path: string): string {
  const bare = path.replace(/[?#].*$/s, '')
  const template = bare.split('/').map(generalise).join('/')
  return `${method.toUpperCase()} ${template === '' ? '/' : template}`
}
