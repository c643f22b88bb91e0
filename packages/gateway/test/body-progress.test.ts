import { describe, expect, it } from 'vitest'
import { guardBodyProgress, standaloneRequest, WHOLE_READ_MAX_BYTES, wholeReadDeadlineMs } from '../src/body-progress.ts'

/** A body that yields `chunks` chunks of `size` bytes, one every `everyMs` (with its length declared when `declared`). */
function paced(chunks: number, size: number, everyMs: number, declared = false): Request {
  let n = 0
  const body = new ReadableStream<Uint8Array>({
    async pull(c) {
      await new Promise((r) => setTimeout(r, everyMs))
      if (n++ >= chunks) c.close()
      else c.enqueue(new Uint8Array(size))
    },
  })
  const headers = declared ? { 'content-length': String(chunks * size) } : undefined
  return new Request('http://lakehouse.test/v1/storage/objects/x', { method: 'PUT', body, headers, duplex: 'half' } as RequestInit)
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

  it('judges a whole read of a small declared body by one deadline: the time the minimum rate needs', async () => {
    expect(wholeReadDeadlineMs(100, LIMITS)).toBe(LIMITS.windowMs)
    expect(wholeReadDeadlineMs(LIMITS.minBytes, LIMITS)).toBe(LIMITS.windowMs)
    expect(wholeReadDeadlineMs(LIMITS.minBytes * 3 + 1, LIMITS)).toBe(LIMITS.windowMs * 4)
    // 4 KiB in 4 chunks at 40 ms: well inside its 4 windows.
    const ok = guardBodyProgress(paced(4, 1024, 40, true), LIMITS)
    expect((await ok?.req.arrayBuffer())?.byteLength).toBe(4096)
    expect([ok?.tripped(), ok?.consumed()]).toEqual([false, true])
    // 2 bytes, one every 200 ms: one window (300 ms) is all a body this small gets.
    const slow = guardBodyProgress(paced(2, 1, 200, true), LIMITS)
    const started = performance.now()
    await expect(slow?.req.text()).rejects.toMatchObject({ code: 'HTTP_BODY_TOO_SLOW', status: 408 })
    expect(slow?.tripped()).toBe(true)
    expect(performance.now() - started).toBeGreaterThanOrEqual(LIMITS.windowMs - 20)
  })

  it('starts the deadline when the whole read starts, not when the request arrived', async () => {
    const g = guardBodyProgress(paced(2, 512, 10, true), LIMITS)
    await new Promise((r) => setTimeout(r, LIMITS.windowMs * 2))
    expect(new TextDecoder().decode(await g?.req.arrayBuffer()).length).toBe(1024)
    expect(g?.tripped()).toBe(false)
  })

  it('streams a body above the whole-read size through the window rule, however it is read', async () => {
    const g = guardBodyProgress(paced(3, WHOLE_READ_MAX_BYTES, 10, true), LIMITS)
    expect((await g?.req.arrayBuffer())?.byteLength).toBe(3 * WHOLE_READ_MAX_BYTES)
    expect(g?.consumed()).toBe(true)
  })

  it('discards an unread body under the guard, and refuses to when a handler half-read it', async () => {
    const unread = guardBodyProgress(paced(3, 100, 5, true), LIMITS)
    expect(await unread?.discard(1024 * 1024)).toBe(true)
    const half = guardBodyProgress(paced(3, 100, 5), LIMITS)
    await half?.req.body?.getReader().read()
    expect(await half?.discard(1024 * 1024)).toBe(false)
  })

  it('keeps the guard on a request rebuilt from the guarded one (split mode forwards it upstream)', async () => {
    const g = guardBodyProgress(paced(50, 1, 120), LIMITS)
    const rebuilt = new Request(standaloneRequest(g?.req as Request), { headers: { 'x-forwarded-for': '10.0.0.1' } })
    await expect(drain(rebuilt)).rejects.toMatchObject({ code: 'HTTP_BODY_TOO_SLOW' })
    expect(g?.tripped()).toBe(true)
  })
})
