import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A service that breaks fixtures/openapi.yaml on purpose: `/things/2` and `/things/3` leave out
 * the required `name`, `/counts` sends `total` as a string, `/secret` is not documented. Two
 * instances answer byte for byte the same, so any finding is a contract finding.
 */
const ROUTES: Record<string, { status: number; body: string }> = {
  '/things/1': { status: 200, body: '{"id":1,"name":"one"}' },
  '/things/2': { status: 200, body: '{"id":2}' },
  '/things/3': { status: 200, body: '{"id":3}' },
  '/things/404': { status: 404, body: '{"error":"no such thing"}' },
  '/counts': { status: 200, body: '{"total":"7"}' },
  '/secret': { status: 200, body: '{"ok":true}' },
}

export interface ContractServer {
  readonly url: string
  close(): Promise<void>
}

export async function startContractServer(): Promise<ContractServer> {
  const server: Server = createServer((req, res) => {
    const route = ROUTES[(req.url ?? '/').split('?')[0] ?? '/'] ?? { status: 404, body: '{"error":"not found"}' }
    res.writeHead(route.status, { 'content-type': 'application/json' })
    res.end(route.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
