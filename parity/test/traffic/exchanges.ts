import type { ObservedBody } from '../../src/model.ts'
import type { Exchange } from '../../src/traffic/exchange.ts'

/** Builders for hand-written traffic: a create → read → update → delete flow plus noise around it. */
export const json = (value: unknown): ObservedBody => ({ kind: 'json', text: JSON.stringify(value) })
export const EMPTY: ObservedBody = { kind: 'empty' }

let clock = Date.UTC(2026, 11, 5, 9, 0, 0)

export function exchange(
  method: string,
  target: string,
  status: number,
  more: Partial<Pick<Exchange, 'requestHeaders' | 'requestBody' | 'responseHeaders' | 'responseBody'>> = {},
): Exchange {
  clock += 250
  return {
    startedAt: new Date(clock).toISOString(),
    method,
    target,
    requestHeaders: { host: 'api.blog.test', 'user-agent': 'curl/8.5', accept: 'application/json', ...more.requestHeaders },
    requestBody: more.requestBody ?? EMPTY,
    status,
    responseHeaders: { 'content-type': 'application/json', date: 'Sat, 05 Dec 2026 09:00:00 GMT', ...more.responseHeaders },
    responseBody: more.responseBody ?? EMPTY,
    durationMs: 12,
  }
}

export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')

/** Ten exchanges: the flow on post 4821, three list pages (they fold), an avatar upload, a login whose session is reused. */
export function blogSession(): Exchange[] {
  return [
    exchange('POST', '/posts', 201, {
      requestHeaders: {
        'content-type': 'application/json',
        authorization: 'Bearer live-secret-token',
        cookie: 'sid=abc123',
        'x-client': 'web',
        'content-length': '52',
        connection: 'keep-alive',
        'accept-encoding': 'gzip',
      },
      requestBody: json({ title: 'hello', password: 's3cret', draft: true }),
      responseHeaders: { location: '/posts/4821', 'set-cookie': 'sid=def456' },
      responseBody: json({ id: 4821, title: 'hello', draft: true }),
    }),
    exchange('GET', '/posts/4821', 200, {
      responseHeaders: { etag: '"e-4821-1"' },
      responseBody: json({ id: 4821, title: 'hello', draft: true }),
    }),
    exchange('PATCH', '/posts/4821', 200, {
      requestHeaders: { 'content-type': 'application/json', 'if-match': '"e-4821-1"' },
      // author_id reuses the id as a number; the note mentions it inside text, which must stay as written.
      requestBody: json({ title: 'hello again', author_id: 4821, note: 'see post 4821' }),
      responseBody: json({ id: 4821, title: 'hello again', draft: true }),
    }),
    exchange('DELETE', '/posts/4821', 204),
    exchange('GET', '/posts?_page=1&q=4821x', 200, { responseBody: json([{ id: 11 }, { id: 12 }]) }),
    exchange('GET', '/posts?_page=2&q=4821x', 200, { responseBody: json([{ id: 13 }, { id: 14 }]) }),
    exchange('GET', '/posts?_page=3&q=4821x', 200, { responseBody: json([]) }),
    exchange('PUT', '/avatars/4821', 204, {
      requestHeaders: { 'content-type': 'image/png' },
      requestBody: { kind: 'binary', base64: PNG.toString('base64'), size: PNG.length },
    }),
    exchange('POST', '/login', 200, {
      requestHeaders: { 'content-type': 'application/json' },
      requestBody: json({ user: { name: 'ann', token: 'tok-123' } }),
      responseBody: json({ session: 'sess-9f8e7d6c5b', user: { name: 'ann' } }),
    }),
    exchange('GET', '/me', 200, {
      requestHeaders: { 'x-session': 'sess-9f8e7d6c5b' },
      responseBody: json({ name: 'ann' }),
    }),
  ]
}
