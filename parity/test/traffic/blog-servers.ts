import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * Two small blog APIs that serve the routes of the devtools HAR fixture and differ on purpose
 * in one thing: `integer` mints numeric ids, `string` the same ids as strings. Each keeps its
 * own posts, numbered from 8001 — not the 7301 of the recording, so only captured ids reach
 * them — and checks `If-Match` against the etag it sent.
 */
export type IdStyle = 'integer' | 'string'

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')

interface Post {
  id: number
  title: string
  body: string
  version: number
}

export async function serveBlog(style: IdStyle): Promise<{ url: string; close(): Promise<void> }> {
  const posts = new Map<number, Post>([[101, { id: 101, title: 'first', body: '', version: 1 }]])
  let next = 8001
  const id = (n: number) => (style === 'integer' ? n : String(n))
  const view = (p: Post) => ({ id: id(p.id), title: p.title, body: p.body })
  const etag = (p: Post) => `W/"${p.id}-${p.version}"`

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
        const text = body === undefined ? '' : JSON.stringify(body)
        res.writeHead(status, body === undefined ? headers : { 'content-type': 'application/json', ...headers })
        res.end(text)
      }
      const url = new URL(req.url ?? '/', 'http://x')
      const parts = url.pathname.split('/').filter((s) => s !== '')
      const input = chunks.length === 0 ? {} : (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<Post>)
      const post = parts[0] === 'posts' && parts[1] !== undefined ? posts.get(Number(parts[1])) : undefined
      if (req.method === 'GET' && url.pathname === '/posts') return send(200, [...posts.values()].map(view))
      if (req.method === 'POST' && url.pathname === '/posts') {
        const p: Post = { id: next++, title: String(input.title ?? ''), body: String(input.body ?? ''), version: 1 }
        posts.set(p.id, p)
        return send(201, view(p), { location: `/posts/${p.id}` })
      }
      if (parts[0] !== 'posts' || post === undefined) return send(404, { code: 'NOT_FOUND' })
      if (req.method === 'GET' && parts[2] === 'cover.png') {
        res.writeHead(200, { 'content-type': 'image/png' })
        return res.end(PNG)
      }
      if (req.method === 'GET' && parts.length === 2) return send(200, view(post), { etag: etag(post) })
      if (req.method === 'PATCH' && parts.length === 2) {
        if (req.headers['if-match'] !== etag(post)) return send(412, { code: 'PRECONDITION_FAILED' })
        post.title = String(input.title ?? post.title)
        post.version++
        return send(200, view(post), { etag: etag(post) })
      }
      if (req.method === 'DELETE' && parts.length === 2) {
        posts.delete(post.id)
        return send(204)
      }
      return send(405, { code: 'METHOD_NOT_ALLOWED' })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
