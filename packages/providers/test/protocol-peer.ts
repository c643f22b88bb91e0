/**
 * A local model server for tests: speaks Ollama (`/api/embed`, `/api/chat`) and the OpenAI
 * dialect (`/v1/embeddings`, `/v1/chat/completions`) on 127.0.0.1:0, and can be scripted to
 * misbehave per path (429/503 with Retry-After, garbage, hangs, dropped connections).
 * Exported as `@lakehouse/providers/testing` so embed and draft test against the same peer.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export type PeerStep =
  /** A canned answer instead of the normal one. */
  | { readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: string }
  /** Read the request, never answer (the client's timeout must fire). */
  | 'hang'
  /** Drop the connection without answering. */
  | 'reset'

export interface PeerRequest {
  readonly method: string
  readonly path: string
  readonly headers: IncomingHttpHeaders
  /** Parsed JSON, or the raw text when it is not JSON. */
  readonly body: unknown
}

export interface ProtocolPeer {
  /** `http://127.0.0.1:<port>`; OpenAI clients use `${url}/v1`. */
  readonly url: string
  readonly requests: PeerRequest[]
  /** Queues steps for a path (e.g. `/api/embed`); each request takes one, then normal service resumes. */
  script(path: string, steps: readonly PeerStep[]): void
  /** Forgets recorded requests and queued steps. */
  reset(): void
  close(): Promise<void>
}

export interface PeerOptions {
  /** When set, every request must carry `Authorization: Bearer <apiKey>`; others get a 401 that echoes the header they sent. */
  readonly apiKey?: string
  /** Length of the fake vectors (default 4). */
  readonly dim?: number
}

/** The fake model's vector for a text: deterministic, so tests can predict it. */
export function peerVector(text: string, dim = 4): number[] {
  const v = new Array<number>(dim).fill(0.5)
  v[0] = text.length
  if (dim > 1) v[1] = text.length === 0 ? 0 : (text.codePointAt(0) ?? 0)
  return v
}

function lastUserContent(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages) ? (body.messages as { role?: unknown; content?: unknown }[]) : []
  const user = messages.filter((m) => m.role === 'user').at(-1)
  return typeof user?.content === 'string' ? user.content : ''
}

function normalAnswer(path: string, body: Record<string, unknown>, dim: number): { status: number; json: unknown } {
  const input = body.input
  const texts = Array.isArray(input) ? input.map(String) : typeof input === 'string' ? [input] : []
  const reply = `echo: ${lastUserContent(body)}`
  switch (path) {
    case '/api/embed':
      return { status: 200, json: { model: body.model, embeddings: texts.map((t) => peerVector(t, dim)) } }
    case '/api/chat':
      return {
        status: 200,
        json: { model: body.model, message: { role: 'assistant', content: reply }, done: true, prompt_eval_count: 7, eval_count: 3 },
      }
    case '/v1/embeddings':
      // Deliberately out of order: clients must place items by `index`.
      return {
        status: 200,
        json: {
          object: 'list',
          model: body.model,
          data: texts.map((t, index) => ({ object: 'embedding', index, embedding: peerVector(t, dim) })).reverse(),
          usage: { prompt_tokens: texts.length, total_tokens: texts.length },
        },
      }
    case '/v1/chat/completions':
      return {
        status: 200,
        json: {
          id: 'chatcmpl-test',
          object: 'chat.completion',
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 },
        },
      }
    default:
      return { status: 404, json: { error: `no route ${path}` } }
  }
}

function send(res: ServerResponse, status: number, text: string, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(text)
}

export async function startProtocolPeer(options: PeerOptions = {}): Promise<ProtocolPeer> {
  const dim = options.dim ?? 4
  const requests: PeerRequest[] = []
  const queues = new Map<string, PeerStep[]>()
  const sockets = new Set<Socket>()

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      let body: unknown = text
      try {
        body = JSON.parse(text)
      } catch {
        // keep the text
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/'
      requests.push({ method: req.method ?? '', path, headers: req.headers, body })

      const step = queues.get(path)?.shift()
      if (step === 'hang') return
      if (step === 'reset') {
        req.socket.destroy()
        return
      }
      if (step !== undefined) {
        send(res, step.status, step.body ?? '', step.headers)
        return
      }
      if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        // Like a careless server: the rejection quotes what it was sent.
        send(res, 401, JSON.stringify({ error: { message: `Incorrect API key provided: ${req.headers.authorization ?? '(none)'}` } }))
        return
      }
      if (req.method !== 'POST' || typeof body !== 'object' || body === null) {
        send(res, 400, JSON.stringify({ error: 'expected a JSON POST' }))
        return
      }
      const answer = normalAnswer(path, body as Record<string, unknown>, dim)
      send(res, answer.status, JSON.stringify(answer.json))
    })
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(path, steps) {
      queues.set(path, [...(queues.get(path) ?? []), ...steps])
    },
    reset() {
      requests.length = 0
      queues.clear()
    },
    close() {
      for (const s of sockets) s.destroy()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
