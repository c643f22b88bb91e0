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
