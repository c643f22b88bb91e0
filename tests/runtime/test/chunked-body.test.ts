import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningServer, type Runtime, startServer } from './servers.ts'

/**
 * What the corpus cannot express: a body streamed without Content-Length (fetch sends it
 * chunked) that exceeds the limit must be cut off with a 413 problem while streaming.
 */
const RUNTIMES: readonly Runtime[] = ['node', 'bun']
const servers = new Map<Runtime, RunningServer>()

beforeAll(async () => {
  for (const r of RUNTIMES) servers.set(r, await startServer(r))
})
afterAll(async () => {
  await Promise.all([...servers.values()].map((s) => s.stop()))
})

function oversizedStream(): ReadableStream<Uint8Array> {
  let sent = 0
  const chunk = new TextEncoder().encode(`"${'y'.repeat(64 * 1024 - 1)}`)
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent++ >= 40) c.close()
      else c.enqueue(chunk)
    },
  })
}

describe.each(RUNTIMES)('%s streaming limits', (runtime) => {
  it('answers 413 to a chunked body over the limit and keeps serving', async () => {
    const s = servers.get(runtime)
    if (s === undefined) throw new Error('no server')
    const res = await fetch(`${s.url}/v1/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: oversizedStream(),
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ code: 'HTTP_BODY_TOO_LARGE', limit_bytes: 1048576 })
    expect((await fetch(`${s.url}/health`)).status).toBe(200)
  })
})
