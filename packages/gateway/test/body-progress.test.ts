import { describe, expect, it } from 'vitest'
import { guardBodyProgress } from '../src/body-progress.ts'

/** A body that yields `chunks` chunks of `size` bytes, one every `everyMs`. */
function paced(chunks: number, size: number, everyMs: number): Request {
  let n = 0
  const body = new ReadableStream<Uint8Array>({
    async pull(c) {
      await new Promise((r) => setTimeout(r, everyMs))
      if (n++ >= chunks) c.close()
      else c.enqueue(new Uint8Array(size))
    },
  })
  return new Request('http://lakehouse.test/v1/storage/objects/x', { method: 'PUT', body, duplex: 'half' } as RequestInit)
}

async function drain(req: Request): Promise<number> {
  const reader = req.body?.getReader()
  let total = 0
  for (;;) {
    const r = await reader?.read()
    if (r === undefined || r.done) return total
    total += r.value.byteLength
  }
}

const LIMITS = { windowMs: 300, minBytes: 1024 }

describe('issue 12: the body progress guard', () => {
  it('passes a body that keeps moving, however long it takes', async () => {
    const g = guardBodyProgress(paced(20, 4096, 40), LIMITS)
    expect(await drain(g?.req as Request)).toBe(20 * 4096)
    expect(g?.tripped()).toBe(false)
  })

  it('ends a trickle (a byte every 120 ms against 1 KiB per 300 ms) with HTTP_BODY_TOO_SLOW', async () => {
    const g = guardBodyProgress(paced(50, 1, 120), LIMITS)
    await expect(drain(g?.req as Request)).rejects.toMatchObject({ code: 'HTTP_BODY_TOO_SLOW', status: 408 })
    expect(g?.tripped()).toBe(true)
  })

  it('ends a body that stops arriving at all', async () => {
    const stalled = new Request('http://lakehouse.test/x', {
      method: 'POST',
      body: new ReadableStream<Uint8Array>({ pull: () => new Promise(() => undefined) }),
      duplex: 'half',
    } as RequestInit)
    const g = guardBodyProgress(stalled, LIMITS)
    const started = performance.now()
    await expect(drain(g?.req as Request)).rejects.toMatchObject({ code: 'HTTP_BODY_TOO_SLOW' })
    expect(performance.now() - started).toBeGreaterThanOrEqual(LIMITS.windowMs - 20)
  })

  it('does not count time nobody is reading (a component queued for a slot)', async () => {
    const g = guardBodyProgress(paced(5, 4096, 10), LIMITS)
    await new Promise((r) => setTimeout(r, LIMITS.windowMs * 2))
    expect(g?.tripped()).toBe(false)
    expect(await drain(g?.req as Request)).toBe(5 * 4096)
  })

  it('leaves requests without a body alone', () => {
    expect(guardBodyProgress(new Request('http://lakehouse.test/health'), LIMITS)).toBeUndefined()
  })
})
