import autocannon from 'autocannon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClientInternals } from '../src/run/autocannon-internals.ts'
import { type FaultServer, startFaultServer } from './fixtures/fault-server.ts'

/** Pins the autocannon 9 behaviours listed in src/run/autocannon-internals.ts. */
function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)))
  })
}

describe('autocannon 9 behaviours the driver relies on', () => {
  let server: FaultServer
  beforeAll(async () => {
    server = await startFaultServer()
  })
  afterAll(() => server.close())

  it('1, 2: setupClient sees the client before its first request, and every request goes through _doRequest', async () => {
    let doRequests = 0
    let sawIterator = false
    const result = await run({
      url: `${server.url}/ok`,
      connections: 1,
      amount: 20,
      setupClient: ((c: ClientInternals) => {
        sawIterator = c.requestIterator !== undefined && c.reqsMade === 0
        const orig = c._doRequest.bind(c)
        c._doRequest = () => {
          doRequests++
          orig()
        }
      }) as unknown as autocannon.Options['setupClient'],
    })
    expect(sawIterator).toBe(true)
    // One call per request written, plus the one that finds the amount reached and stops.
    expect(doRequests).toBe(result.requests.sent + 1)
  })

  it('3: a falsy setupRequest after index 0 restarts at 0 with a fresh context and counts a reset', async () => {
    const seen: string[] = []
    const result = await run({
      url: server.url,
      connections: 1,
      amount: 6,
      requests: [
        {
          method: 'GET',
          path: '/ok',
          setupRequest: ((req: Record<string, unknown>, ctx: Record<string, unknown>) => {
            seen.push(`0:${String(ctx.mark ?? '-')}`)
            ctx.mark = 'x'
            return req
          }) as unknown as autocannon.Request['setupRequest'],
        },
        { method: 'GET', path: '/ok', setupRequest: (() => null) as unknown as autocannon.Request['setupRequest'] },
      ],
    })
    expect(seen.slice(0, 3)).toEqual(['0:-', '0:-', '0:-'])
    expect(result.resets).toBeGreaterThanOrEqual(5)
  })

  it('4, 5: response carries fractional ms from write to full response; timeout follows the reconnect', async () => {
    const durations: number[] = []
    const order: string[] = []
    await run({
      url: `${server.url}/delay/20`,
      connections: 1,
      amount: 3,
      setupClient: ((c: ClientInternals) => {
        c.on('response', (_s, _b, ms) => durations.push(ms))
      }) as unknown as autocannon.Options['setupClient'],
    })
    for (const ms of durations) {
      expect(ms).toBeGreaterThanOrEqual(19)
      expect(Number.isInteger(ms)).toBe(false)
    }
    await run({
      url: `${server.url}/hang`,
      connections: 1,
      duration: 2,
      timeout: 1,
      setupClient: ((c: ClientInternals) => {
        const orig = c._doRequest.bind(c)
        c._doRequest = () => {
          order.push('doRequest')
          orig()
        }
        c.on('timeout', () => order.push('timeout'))
      }) as unknown as autocannon.Options['setupClient'],
    })
    const i = order.indexOf('timeout')
    expect(i).toBeGreaterThan(1)
    expect(order[i - 1]).toBe('doRequest')
  })

  it('6: the requests total counts one request per connection at construction', async () => {
    let written = 0
    const result = await run({
      url: `${server.url}/ok`,
      connections: 3,
      duration: 1,
      setupClient: ((c: ClientInternals) => {
        const orig = c._doRequest.bind(c)
        c._doRequest = () => {
          if (!c.destroyed) written++
          orig()
        }
      }) as unknown as autocannon.Options['setupClient'],
    })
    expect(result.requests.sent).toBe(written)
  })

  it('8: a replaced requestBuilder puts its bytes on the wire; null from it restarts at index 0', async () => {
    const before = server.hits.get('/echo') ?? 0
    const result = await run({
      url: server.url,
      connections: 1,
      amount: 6,
      requests: [
        { method: 'GET', path: '/ok', setupRequest: ((r: unknown) => r) as unknown as autocannon.Request['setupRequest'] },
        { method: 'GET', path: '/second', setupRequest: ((r: unknown) => r) as unknown as autocannon.Request['setupRequest'] },
      ],
      setupClient: ((c: ClientInternals) => {
        c.requestIterator.requestBuilder = (entry) => {
          // Index 1 always ends the "flow": null → back to index 0.
          if ((entry as { path: string }).path === '/second') return null
          return Buffer.from(
            'POST /echo HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
          )
        }
      }) as unknown as autocannon.Options['setupClient'],
    })
    expect(result.resets).toBeGreaterThan(0)
    // The first request was built by autocannon (GET /ok); every later one by ours.
    expect((server.hits.get('/echo') ?? 0) - before).toBe(result.requests.sent - 1)
  })
})
