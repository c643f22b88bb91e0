import { defineErrors } from './error-registry.ts'

/** Codes shared by every component: the HTTP envelope and the catch-all. */
export const kitErrors = defineErrors('http', {
  HTTP_NOT_FOUND: { status: 404, title: 'Not Found', description: 'No route matches the request path.' },
  HTTP_METHOD_NOT_ALLOWED: {
    status: 405,
    title: 'Method Not Allowed',
    description: 'The path exists but not for this method; the `Allow` header lists the methods it accepts.',
  },
  HTTP_MALFORMED_JSON: {
    status: 400,
    title: 'Malformed JSON',
    description: 'The body is not valid UTF-8 JSON; `detail` gives the position.',
  },
  HTTP_JSON_TOO_DEEP: {
    status: 400,
    title: 'JSON Nested Too Deeply',
    description: 'Arrays and objects in the body nest deeper than the configured limit (default 64).',
  },
  HTTP_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported Media Type',
    description: 'The `Content-Type` is missing or not one the endpoint accepts (JSON endpoints take `application/json`, UTF-8).',
  },
  HTTP_BODY_TOO_LARGE: {
    status: 413,
    title: 'Payload Too Large',
    description: 'The body exceeds the endpoint limit, judged from `Content-Length` up front and while reading.',
  },
  HTTP_INVALID_REQUEST: {
    status: 400,
    title: 'Invalid Request',
    description: 'The body is JSON but not the shape the endpoint expects; `errors` lists each problem.',
  },
  HTTP_BAD_REQUEST: {
    status: 400,
    title: 'Bad Request',
    description:
      'The request could not be parsed below the routes: a malformed request line, target, method, `Host`, `Content-Length` or chunked framing. Bun answers some of these itself (docs/limits.md).',
  },
  HTTP_VERSION_NOT_SUPPORTED: {
    status: 505,
    title: 'HTTP Version Not Supported',
    description: 'The request line names an HTTP version other than 1.0 or 1.1 (Bun answers 505 itself, in plain text).',
  },
  HTTP_HEADERS_TOO_LARGE: {
    status: 431,
    title: 'Request Header Fields Too Large',
    description:
      'The request line or the headers exceed the server limit (16 KiB on Node; Bun answers 431 in plain text itself, docs/limits.md).',
  },
  HTTP_REQUEST_TIMEOUT: {
    status: 408,
    title: 'Request Timeout',
    description: 'The request headers did not arrive within the header timeout (10 s); the connection is closed.',
  },
  HTTP_BODY_TOO_SLOW: {
    status: 408,
    title: 'Request Body Too Slow',
    description:
      'The body arrived slower than the minimum progress (`min_bytes` per `window_ms`, 8 KiB per 10 s by default), so the request was ended and its slot released; the connection is closed.',
  },
  HTTP_CLIENT_ABORTED: {
    status: 400,
    title: 'Client Closed Request',
    description:
      'The client closed the connection before the request was complete. Nobody receives this answer: it is how the access log records an abort (never as a 500).',
  },
  INTERNAL: {
    status: 500,
    title: 'Internal Server Error',
    description: 'An unexpected failure; the detail never echoes internals. The server logs it with the request id.',
  },
})

export const configErrors = defineErrors('config', {
  CONFIG_INVALID: {
    status: 500,
    title: 'Invalid Configuration',
    description: 'A configuration value (flag, env or file) is out of range or malformed; raised at boot, never per request.',
  },
})
