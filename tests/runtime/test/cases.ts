/** Requests sent byte-for-byte identically to both runtimes, each with the status it must get. */

export interface RuntimeCase {
  readonly name: string
  readonly method: string
  readonly path: string
  readonly headers?: Readonly<Record<string, string>>
  /** A string or bytes is sent as is; a function builds a fresh stream per send (streams are one-shot). */
  readonly body?: string | Uint8Array | (() => ReadableStream<Uint8Array>)
  readonly status: number
  /** The problem code expected for 4xx answers. */
  readonly code?: string
}

const JSON_HEADERS = { 'content-type': 'application/json' }
const validate = (name: string, body: unknown, status: number, code?: string): RuntimeCase => ({
  name,
  method: 'POST',
  path: '/v1/validate',
  headers: JSON_HEADERS,
  body: JSON.stringify(body),
  status,
  ...(code === undefined ? {} : { code }),
})

export const KNOWN_WORKERS = ['W-000001', 'W-000002', 'W-000003', 'W-000004', 'W-000005']

const email = (over: Record<string, unknown>) => ({
  kind: 'email',
  payload: {
    to: 'dana.reyes@example.com',
    subject: 'Forklift shift Monday',
    body: 'Hi Dana, a forklift shift opened at the Dayton site. Reply YES to confirm.',
    ...over,
  },
})

export const RUNTIME_CASES: readonly RuntimeCase[] = [
  // health and routing
  { name: 'health', method: 'GET', path: '/health', status: 200 },
  { name: 'health HEAD', method: 'HEAD', path: '/health', status: 200 },
  { name: 'health wrong method', method: 'POST', path: '/health', status: 405, code: 'HTTP_METHOD_NOT_ALLOWED' },
  { name: 'root is unknown', method: 'GET', path: '/', status: 404, code: 'HTTP_NOT_FOUND' },
  { name: 'unknown service', method: 'GET', path: '/v1/nothing-here', status: 404, code: 'HTTP_NOT_FOUND' },
  {
    name: 'unknown validator sub-route',
    method: 'POST',
    path: '/v1/validate/nope',
    headers: JSON_HEADERS,
    body: '{}',
    status: 404,
    code: 'HTTP_NOT_FOUND',
  },
  { name: 'validate wrong method', method: 'GET', path: '/v1/validate', status: 405, code: 'HTTP_METHOD_NOT_ALLOWED' },
  { name: 'batch wrong method', method: 'DELETE', path: '/v1/validate/batch', status: 405, code: 'HTTP_METHOD_NOT_ALLOWED' },
  { name: 'encoded path', method: 'GET', path: '/v1/%2e%2e/%00', status: 404, code: 'HTTP_NOT_FOUND' },

  // email
  validate('email valid', email({}), 200),
  validate('email long subject warns', email({ subject: `Forklift shift ${'on Monday '.repeat(9)}` }), 200),
  validate('email bad address', email({ to: 'not-an-address' }), 422, 'VALIDATION_FAILED'),
  validate('email SSN in body', email({ body: 'Your SSN 123-45-6789 is on file.' }), 422, 'VALIDATION_FAILED'),
  validate('email phone is not an SSN', email({ body: 'Call me at (555) 123-4567 or +1 555 123 4567.' }), 200),
  validate('email unfilled placeholder', email({ body: 'Hi {{ first_name }}, the shift starts {{start}}.' }), 422, 'VALIDATION_FAILED'),
  validate(
    'email empty subject and missing body',
    { kind: 'email', payload: { to: 'a@example.com', subject: '' } },
    422,
    'VALIDATION_FAILED',
  ),
  validate('email wrong types', { kind: 'email', payload: { to: 5, subject: [], body: null } }, 422, 'VALIDATION_FAILED'),

  // sms
  validate(
    'sms valid with phone',
    { kind: 'sms', payload: { to: '555-123-4567', body: 'Shift at 7am tomorrow. Call 5551234567 with questions.' } },
    200,
  ),
  validate('sms exactly 160 GSM-7', { kind: 'sms', payload: { to: '+15551234567', body: 'a'.repeat(160) } }, 200),
  validate('sms 161 GSM-7', { kind: 'sms', payload: { to: '+15551234567', body: 'a'.repeat(161) } }, 422, 'VALIDATION_FAILED'),
  validate(
    'sms extension chars count double',
    { kind: 'sms', payload: { to: '+15551234567', body: '€'.repeat(81) } },
    422,
    'VALIDATION_FAILED',
  ),
  validate('sms UCS-2 within 70', { kind: 'sms', payload: { to: '(555) 123-4567', body: `Shift confirmed ✅ ${'x'.repeat(40)}` } }, 200),
  validate('sms UCS-2 over 70', { kind: 'sms', payload: { to: '(555) 123-4567', body: `🙂${'x'.repeat(69)}` } }, 422, 'VALIDATION_FAILED'),
  validate('sms SSN', { kind: 'sms', payload: { to: '555.123.4567', body: 'SSN 123 45 6789' } }, 422, 'VALIDATION_FAILED'),
  validate('sms bad phone', { kind: 'sms', payload: { to: 'call me', body: 'hi' } }, 422, 'VALIDATION_FAILED'),

  // fill
  validate('fill valid', { kind: 'fill', payload: { headcount: 2, candidate_ids: ['W-000001', 'W-000002'], job_id: 'J-1' } }, 200),
  validate('fill partial warns', { kind: 'fill', payload: { headcount: 3, candidate_ids: ['W-000003'] } }, 200),
  validate(
    'fill duplicates',
    { kind: 'fill', payload: { headcount: 3, candidate_ids: ['W-000001', 'W-000002', 'W-000001'] } },
    422,
    'VALIDATION_FAILED',
  ),
  validate(
    'fill over headcount',
    { kind: 'fill', payload: { headcount: 1, candidate_ids: ['W-000001', 'W-000002'] } },
    422,
    'VALIDATION_FAILED',
  ),
  validate(
    'fill unknown ids',
    { kind: 'fill', payload: { headcount: 2, candidate_ids: ['W-999999', 'W-000001'] } },
    422,
    'VALIDATION_FAILED',
  ),
  validate('fill bad headcount', { kind: 'fill', payload: { headcount: 0, candidate_ids: [] } }, 422, 'VALIDATION_FAILED'),

  // schema
  validate(
    'schema valid',
    { kind: 'schema', payload: { schema: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } }, data: { n: 3 } } },
    200,
  ),
  validate(
    'schema data invalid',
    {
      kind: 'schema',
      payload: { schema: { type: 'object', required: ['n', 'm'], properties: { n: { type: 'integer', minimum: 5 } } }, data: { n: 3.5 } },
    },
    422,
    'VALIDATION_FAILED',
  ),
  validate(
    'schema itself invalid',
    { kind: 'schema', payload: { schema: { type: 'no-such-type' }, data: 1 } },
    400,
    'VALIDATOR_INVALID_SCHEMA',
  ),
  {
    // Raw JSON text: an integer beyond 2^53 must be read the same way by both engines.
    name: 'schema big integer data',
    method: 'POST',
    path: '/v1/validate',
    headers: JSON_HEADERS,
    body: '{"kind":"schema","payload":{"schema":{"type":"integer","maximum":10},"data":12345678901234567890}}',
    status: 422,
    code: 'VALIDATION_FAILED',
  },

  // request shape
  validate('unknown kind', { kind: 'fax', payload: {} }, 400, 'VALIDATOR_UNKNOWN_KIND'),
  validate('missing kind', { payload: {} }, 400, 'VALIDATOR_INVALID_REQUEST'),
  validate('payload not an object', { kind: 'email', payload: 'hello' }, 400, 'VALIDATOR_INVALID_REQUEST'),
  validate('body is an array', [1, 2], 400, 'VALIDATOR_INVALID_REQUEST'),

  // batch
  {
    name: 'batch mixed',
    method: 'POST',
    path: '/v1/validate/batch',
    headers: JSON_HEADERS,
    body: JSON.stringify({
      items: [email({}), email({ to: 'x' }), { kind: 'fax', payload: {} }, { kind: 'sms', payload: { to: '5551234567', body: 'ok' } }],
    }),
    status: 200,
  },
  {
    name: 'batch empty',
    method: 'POST',
    path: '/v1/validate/batch',
    headers: JSON_HEADERS,
    body: '{"items":[]}',
    status: 400,
    code: 'VALIDATOR_INVALID_REQUEST',
  },
  {
    name: 'batch too large',
    method: 'POST',
    path: '/v1/validate/batch',
    headers: JSON_HEADERS,
    body: JSON.stringify({ items: Array.from({ length: 501 }, () => email({})) }),
    status: 400,
    code: 'VALIDATOR_BATCH_TOO_LARGE',
  },

  // bad bodies
  {
    name: 'malformed JSON',
    method: 'POST',
    path: '/v1/validate',
    headers: JSON_HEADERS,
    body: '{"kind": "email", "payload": ',
    status: 400,
    code: 'HTTP_MALFORMED_JSON',
  },
  {
    name: 'trailing garbage',
    method: 'POST',
    path: '/v1/validate',
    headers: JSON_HEADERS,
    body: '{"kind":"email"} x',
    status: 400,
    code: 'HTTP_MALFORMED_JSON',
  },
  { name: 'empty body', method: 'POST', path: '/v1/validate', headers: JSON_HEADERS, body: '', status: 400, code: 'HTTP_MALFORMED_JSON' },
  {
    name: 'invalid UTF-8',
    method: 'POST',
    path: '/v1/validate',
    headers: JSON_HEADERS,
    body: new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
    status: 400,
    code: 'HTTP_MALFORMED_JSON',
  },
  {
    name: 'nested too deep',
    method: 'POST',
    path: '/v1/validate',
    headers: JSON_HEADERS,
    body: `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
    status: 400,
    code: 'HTTP_JSON_TOO_DEEP',
  },
  {
    name: 'text/plain',
    method: 'POST',
    path: '/v1/validate',
    headers: { 'content-type': 'text/plain' },
    body: '{}',
    status: 415,
    code: 'HTTP_UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'no content type',
    method: 'POST',
    path: '/v1/validate',
    body: new Uint8Array([0x7b, 0x7d]),
    status: 415,
    code: 'HTTP_UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'latin1 charset',
    method: 'POST',
    path: '/v1/validate',
    headers: { 'content-type': 'application/json; charset=latin1' },
    body: '{}',
    status: 415,
    code: 'HTTP_UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'body over limit',
    method: 'POST',
    path: '/v1/validate',
    headers: JSON_HEADERS,
    body: `"${'x'.repeat(2 * 1024 * 1024)}"`,
    status: 413,
    code: 'HTTP_BODY_TOO_LARGE',
  },
  {
    name: 'chunked body over limit',
    method: 'POST',
    path: '/v1/validate',
    headers: JSON_HEADERS,
    body: () => {
      let sent = 0
      const chunk = new TextEncoder().encode(`"${'y'.repeat(64 * 1024 - 1)}`)
      return new ReadableStream<Uint8Array>({
        pull(c) {
          if (sent++ >= 40) c.close()
          else c.enqueue(chunk)
        },
      })
    },
    status: 413,
    code: 'HTTP_BODY_TOO_LARGE',
  },
]
