/**
 * The round-trip test's two services: a small REST service of items (list, get, create,
 * patch, delete) as the primary, and a candidate that differs on purpose — ids are strings,
 * every item has an extra `href`, and the `x-api-version` header is gone. Both carry a
 * per-process random `instance` (body member and header): a second primary differs from the
 * first there, which is noise, never a finding.
 *
 * Ids are sequential from 1001 in every instance, so a mirrored or replayed session builds the
 * same state on each; they have four digits because the corpus writer only takes values of
 * at least three characters for generated ids (captures).
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'

export type Flavour = 'primary' | 'candidate'

export interface ItemsServer {
  readonly url: string
  /** Requests answered so far. */
  requests(): number
  close(): Promise<void>
}

interface Item {
  readonly id: number
  name: string
  qty: number
}

const SEED: readonly Omit<Item, 'id'>[] = [
  { name: 'seed a', qty: 1 },
  { name: 'seed b', qty: 2 },
  { name: 'seed c', qty: 3 },
]
export const FIRST_ID = 1001

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  return text === '' ? undefined : JSON.parse(text)
}

export async function startItemsServer(flavour: Flavour): Promise<ItemsServer> {
  const instance = randomBytes(6).toString('hex')
  const items = new Map<number, Item>()
  let nextId = FIRST_ID
  for (const s of SEED) items.set(nextId, { id: nextId++, ...s })
  let answered = 0

  const render = (item: Item) =>
    flavour === 'candidate'
      ? { id: String(item.id), name: item.name, qty: item.qty, href: `/items/${item.id}` }
      : { id: item.id, name: item.name, qty: item.qty }

  const send = (res: ServerResponse, status: number, body?: Record<string, unknown>, extra: Record<string, string> = {}) => {
    answered++
    const headers: Record<string, string> = { 'x-instance': instance, 'cache-control': 'no-store', ...extra }
    if (flavour === 'primary') headers['x-api-version'] = '2026-01'
    if (body === undefined) {
      res.writeHead(status, headers)
      res.end()
      return
    }
    res.writeHead(status, { ...headers, 'content-type': 'application/json' })
    res.end(JSON.stringify({ ...body, instance }))
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const method = req.method ?? 'GET'
    let body: unknown
    try {
      body = await readJson(req)
    } catch {
      send(res, 400, { code: 'BAD_JSON' })
      return
    }
    const input = (body ?? {}) as { name?: unknown; qty?: unknown }
    if (url.pathname === '/items') {
      if (method === 'GET') {
        const limit = Number(url.searchParams.get('limit') ?? '10')
        const offset = Number(url.searchParams.get('offset') ?? '0')
        const all = [...items.values()]
        send(res, 200, { total: all.length, items: all.slice(offset, offset + limit).map(render) })
      } else if (method === 'POST' && typeof input.name === 'string' && typeof input.qty === 'number') {
        const item: Item = { id: nextId++, name: input.name, qty: input.qty }
        items.set(item.id, item)
        send(res, 201, render(item), { location: `/items/${item.id}` })
      } else send(res, method === 'POST' ? 400 : 405, { code: method === 'POST' ? 'BAD_ITEM' : 'METHOD_NOT_ALLOWED' })
      return
    }
    const m = /^\/items\/(\d+)$/.exec(url.pathname)
    const item = m === null ? undefined : items.get(Number(m[1]))
    if (m === null || item === undefined) send(res, 404, { code: 'NOT_FOUND' })
    else if (method === 'GET') send(res, 200, render(item))
    else if (method === 'PATCH') {
      if (typeof input.name === 'string') item.name = input.name
      if (typeof input.qty === 'number') item.qty = input.qty
      send(res, 200, render(item))
    } else if (method === 'DELETE') {
      items.delete(item.id)
      send(res, 204)
    } else send(res, 405, { code: 'METHOD_NOT_ALLOWED' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export interface SessionStats {
  readonly requests: number
  readonly created: number
  readonly deleted: number
}

/**
 * The scripted client: one request at a time, in a fixed order, through `base` (a proxy in
 * front of a primary). Reads two seed items, then 60 times lists a page, creates an item,
 * reads and patches it by the id the create answered, and every third time deletes it and
 * reads it again (404); ends with a full list and an unknown path. 284 requests.
 */
export async function runSession(base: string): Promise<SessionStats> {
  let requests = 0
  const call = async (method: string, path: string, json?: unknown) => {
    requests++
    const res = await request(`${base}${path}`, {
      method: method as 'GET',
      headers: { accept: 'application/json', ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      body: json === undefined ? null : JSON.stringify(json),
    })
    const text = await res.body.text()
    return { status: res.statusCode, json: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) }
  }
  let created = 0
  let deleted = 0
  await call('GET', `/items/${FIRST_ID}`)
  await call('GET', `/items/${FIRST_ID + 1}`)
  for (let i = 0; i < 60; i++) {
    await call('GET', `/items?limit=10&offset=${(i % 4) * 10}`)
    const made = await call('POST', '/items', { name: `item ${i}`, qty: i % 7 })
    if (made.status !== 201) throw new Error(`create ${i} answered ${made.status}`)
    created++
    const id = String(made.json?.id)
    await call('GET', `/items/${id}`)
    await call('PATCH', `/items/${id}`, { qty: (i % 5) + 10 })
    if (i % 3 === 0) {
      await call('DELETE', `/items/${id}`)
      deleted++
      await call('GET', `/items/${id}`)
    }
  }
  await call('GET', '/items?limit=100')
  await call('GET', '/nothing-here')
  return { requests, created, deleted }
}
