import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * Two small services that agree on some routes and deliberately disagree on others — one per
 * divergence class — plus a noisy route whose timestamp changes on every call.
 */
type Side = 'a' | 'b'
/** `instance` numbers each server started, so two servers of the same side can still differ. */
type Route = (side: Side, instance: number) => { status: number; headers?: Record<string, string>; body: string }

let tick = 0
let instances = 0
const json = (body: string, status = 200, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body,
})

const ROUTES: Record<string, Route> = {
  'GET /health': (side) => json(`{"status":"ok","runtime":"${side}","version":"test"}`),
  'GET /same': () => json('{"x":1,"items":[{"id":"a","n":1},{"id":"b","n":2}]}'),
  'GET /status': (side) => json('{"ok":true}', side === 'a' ? 200 : 201),
  // The seed's headline pair: serde's tagged enum vs Go's flat exported fields.
  'POST /error': (side) =>
    json(
      side === 'a' ? '{"errors":[{"Schema":{"field":"x","reason":"y"}}]}' : '{"errors":[{"Kind":"schema","Field":"x","Reason":"y"}]}',
      422,
    ),
  'GET /value': (side) => json(`{"n":${side === 'a' ? 1 : 2},"name":"x"}`),
  'GET /float': (side) => json(`{"n":${side === 'a' ? '1' : '1.0'}}`),
  'GET /header': (side) => json('{"ok":true}', 200, side === 'a' ? { 'cache-control': 'no-store' } : { 'cache-control': 'max-age=60' }),
  'GET /noisy': () => json(`{"ts":"${new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ++tick)).toISOString()}","v":1}`),
  'GET /order': (side) => json(side === 'a' ? '{"tags":["x","y","z"]}' : '{"tags":["z","x","y"]}'),
  // Stable on one server, different on each: only a second instance of the baseline sees it as noise.
  'GET /instance': (_side, instance) => json(`{"boot":"instance-${instance}","v":1}`),
  'GET /keyed': (side) =>
    json(side === 'a' ? '{"items":[{"id":"a","n":1},{"id":"b","n":2}]}' : '{"items":[{"id":"b","n":2},{"id":"a","n":1}]}'),
}

export interface DivergingPair {
  readonly a: string
  readonly b: string
  close(): Promise<void>
}

export async function serve(side: Side): Promise<{ url: string; server: Server }> {
  const instance = ++instances
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const route = ROUTES[`${req.method} ${(req.url ?? '/').split('?')[0]}`]
      const out = route?.(side, instance) ?? json('{"code":"NOT_FOUND"}', 404)
      res.writeHead(out.status, out.headers)
      res.end(out.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

export async function startDivergingPair(): Promise<DivergingPair> {
  const [a, b] = await Promise.all([serve('a'), serve('b')])
  return {
    a: a.url,
    b: b.url,
    close: async () => {
      for (const s of [a.server, b.server]) {
        s.closeAllConnections()
        await new Promise<void>((resolve) => s.close(() => resolve()))
      }
    },
  }
}
