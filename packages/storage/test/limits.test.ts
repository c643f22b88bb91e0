import { afterEach, describe, expect, it } from 'vitest'
import type { StorageService } from '../src/index.ts'
import { encoder, streamOf } from './helpers.ts'
import { fsService, getKey, heldBody, list, putKey, request, send } from './http-helpers.ts'

const open: StorageService[] = []
function service(...args: Parameters<typeof fsService>): StorageService {
  const svc = fsService(...args)
  open.push(svc)
  return svc
}
afterEach(async () => {
  // The service leaves its store to the owner, so the test closes both.
  await Promise.all(
    open.splice(0).map(async (s) => {
      await s.close()
      await s.store.close()
    }),
  )
})

describe('key policy over HTTP', () => {
  it.each([
    ['an empty key', '', 'empty'],
    ['a leading slash', '%2Fetc%2Fpasswd', 'leading_slash'],
    ['a trailing slash', 'dir/', 'trailing_slash'],
    ['an empty segment', 'a%2F%2Fb', 'empty_segment'],
    ['a ".." segment', 'a%2F..%2Fb', 'dot_segment'],
    ['a "." segment', 'a%2F.%2Fb', 'dot_segment'],
    ['a lone ".." key', '%2E%2E%2Fx', 'dot_segment'],
    ['a NUL', 'a%00b', 'nul'],
    ['a CR', 'a%0Db', 'control_character'],
    ['a LF', 'a%0Ab', 'control_character'],
    ['a TAB', 'a%09b', 'control_character'],
    ['an escape character', 'a%1Bb', 'control_character'],
    ['more than 1024 bytes', 'a/'.repeat(600), 'too_long'],
    ['1025 bytes of multi-byte characters', `${'%C3%A9'.repeat(512)}x`, 'too_long'],
    ['a segment over 255 bytes', 'x'.repeat(256), 'segment_too_long'],
    ['the backend temp directory', '.tmp%2Fx', 'reserved_segment'],
    ['the backend sidecar directory', '.meta%2Fx', 'reserved_segment'],
    ['malformed percent-encoding', 'a%ZZ', 'bad_percent_encoding'],
    ['percent-encoded invalid UTF-8', 'a%C3', 'bad_percent_encoding'],
  ])('answers 400 STORAGE_INVALID_KEY for %s', async (_label, encoded, reason) => {
    const svc = service()
    for (const method of ['PUT', 'GET', 'DELETE']) {
      const res = await send(svc, request(method, encoded, method === 'PUT' ? 'x' : null))
      expect([res.status, res.body.code], method).toEqual([400, 'STORAGE_INVALID_KEY'])
      expect(res.body.errors).toEqual([{ kind: 'policy', field: 'key', reason, message: res.body.detail }])
    }
  })

  it('accepts keys at the limits', async () => {
    const svc = service()
    const longest = [...Array.from({ length: 3 }, (_, i) => String(i).repeat(255)), '3'.repeat(253), 'ab'].join('/')
    expect(new TextEncoder().encode(longest).byteLength).toBe(1024)
    expect((await putKey(svc, longest, 'x')).status).toBe(201)
    expect((await putKey(svc, 'dots.../..a/a..', 'x')).status).toBe(201)
    expect((await putKey(svc, '.hidden/.tmpfile', 'x')).status).toBe(201)
  })
})

describe('object size cap', () => {
  it('answers 413 up front from Content-Length, draining a small body and keeping the connection', async () => {
    const svc = service({ maxObjectBytes: 1024 })
    const res = await send(svc, request('PUT', 'big', new Uint8Array(2048), { 'content-length': '2048' }))
    expect([res.status, res.body.code, res.body.limit_bytes]).toEqual([413, 'STORAGE_TOO_LARGE', 1024])
    expect(res.headers.get('connection')).toBeNull()
    expect((await getKey(svc, 'big')).status).toBe(404)
  })

  it('answers 413 with Connection: close when the declared body is too big to drain', async () => {
    const svc = service({ maxObjectBytes: 1024 })
    let pulled = 0
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++
        controller.enqueue(new Uint8Array(64 * 1024))
      },
    })
    const res = await send(svc, request('PUT', 'huge', endless, { 'content-length': String(1024 ** 3) }))
    expect([res.status, res.body.code]).toEqual([413, 'STORAGE_TOO_LARGE'])
    expect(res.headers.get('connection')).toBe('close')
    expect(pulled).toBeLessThan(4)
  })

  it('answers 413 while streaming when the body has no Content-Length, keeping an existing object', async () => {
    const svc = service({ maxObjectBytes: 10_000 })
    await putKey(svc, 'kept', 'original')
    const res = await send(svc, request('PUT', 'kept', streamOf(new Uint8Array(50_000), 4096)))
    expect([res.status, res.body.code]).toEqual([413, 'STORAGE_TOO_LARGE'])
    expect(res.headers.get('connection')).toBeNull()
    expect((await getKey(svc, 'kept')).text).toBe('original')
    const fresh = await send(svc, request('PUT', 'fresh', streamOf(new Uint8Array(50_000), 4096)))
    expect(fresh.status).toBe(413)
    expect((await getKey(svc, 'fresh')).status).toBe(404)
  })

  it('answers 413 while streaming when Content-Length understates the body', async () => {
    const svc = service({ maxObjectBytes: 10_000 })
    const res = await send(svc, request('PUT', 'liar', streamOf(new Uint8Array(20_000), 4096), { 'content-length': '100' }))
    expect([res.status, res.body.code]).toEqual([413, 'STORAGE_TOO_LARGE'])
    expect((await getKey(svc, 'liar')).status).toBe(404)
  })

  it('stores a body of exactly the cap', async () => {
    const svc = service({ maxObjectBytes: 10_000 })
    const put = await send(svc, request('PUT', 'exact', streamOf(new Uint8Array(10_000), 3000)))
    expect([put.status, put.body.size]).toEqual([201, 10_000])
    // All of it stored, not the cap's worth minus the chunk that reached it.
    expect((await getKey(svc, 'exact')).text).toHaveLength(10_000)
  })

  it('answers 400 STORAGE_UPLOAD_INCOMPLETE when the body breaks off', async () => {
    const svc = service()
    let sent = false
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) controller.error(new Error('connection reset'))
        else controller.enqueue(encoder.encode('partial'))
        sent = true
      },
    })
    const res = await send(svc, request('PUT', 'broken', broken))
    expect([res.status, res.body.code]).toEqual([400, 'STORAGE_UPLOAD_INCOMPLETE'])
    expect((await getKey(svc, 'broken')).status).toBe(404)
  })
})

describe('PUT slots', () => {
  it('answers 503 STORAGE_BUSY with Retry-After at once when every slot is held, and recovers', async () => {
    const svc = service({ putSlots: 2 })
    const held = [heldBody(encoder.encode('slow one')), heldBody(encoder.encode('slow two'))]
    const slow = held.map((h, i) => send(svc, request('PUT', `slow-${i}`, h.stream)))
    // Let both uploads take their slot and start streaming.
    await new Promise((r) => setTimeout(r, 50))
    const started = performance.now()
    const busy = await send(svc, request('PUT', 'third', 'x', { 'content-length': '1' }))
    expect(performance.now() - started).toBeLessThan(1000)
    expect([busy.status, busy.body.code]).toEqual([503, 'STORAGE_BUSY'])
    expect(busy.headers.get('retry-after')).toBe('5')
    // Reads and deletes never need a slot.
    expect((await list(svc)).status).toBe(200)
    for (const h of held) h.release()
    expect((await Promise.all(slow)).map((r) => r.status)).toEqual([201, 201])
    expect((await putKey(svc, 'third', 'x')).status).toBe(201)
  })

  it('gives a slot back when a PUT fails', async () => {
    const svc = service({ putSlots: 1, maxObjectBytes: 10 })
    for (let i = 0; i < 3; i++) expect((await putKey(svc, 'k', 'far too large for the cap')).status).toBe(413)
    for (let i = 0; i < 3; i++) expect((await send(svc, request('PUT', '%2Fbad', 'x'))).status).toBe(400)
    expect((await putKey(svc, 'k', 'fits')).status).toBe(201)
  })

  it('uses the configured Retry-After', async () => {
    const svc = service({ putSlots: 1, busyRetryAfterS: 17 })
    const h = heldBody(encoder.encode('x'))
    const slow = send(svc, request('PUT', 'slow', h.stream))
    await new Promise((r) => setTimeout(r, 50))
    expect((await putKey(svc, 'other', 'x')).headers.get('retry-after')).toBe('17')
    h.release()
    await slow
  })
})

describe('GET /v1/storage/objects', () => {
  async function seeded(config = {}) {
    const svc = service(config)
    for (const key of ['a/1', 'a/2', 'a/3', 'b/1', 'c']) await putKey(svc, key, key)
    return svc
  }

  it('lists every object with key, size, etag and modified', async () => {
    const svc = await seeded()
    const res = await list(svc)
    expect(res.status).toBe(200)
    expect(res.body.truncated).toBe(false)
    expect(res.body.items.map((i: { key: string }) => i.key)).toEqual(['a/1', 'a/2', 'a/3', 'b/1', 'c'])
    expect(Object.keys(res.body.items[0])).toEqual(['key', 'size', 'etag', 'modified'])
  })

  it('filters by prefix and truncates at limit', async () => {
    const svc = await seeded()
    expect((await list(svc, '?prefix=a%2F')).body.items).toHaveLength(3)
    expect((await list(svc, '?prefix=a/&limit=2')).body).toMatchObject({ truncated: true, items: [{ key: 'a/1' }, { key: 'a/2' }] })
    expect((await list(svc, '?prefix=a/&limit=3')).body.truncated).toBe(false)
    expect((await list(svc, '?prefix=zzz')).body).toEqual({ items: [], truncated: false })
  })

  it('applies the default limit and the cap', async () => {
    const svc = await seeded({ listCap: 3, listDefaultLimit: 2 })
    expect((await list(svc)).body).toMatchObject({ truncated: true })
    expect((await list(svc)).body.items).toHaveLength(2)
    expect((await list(svc, '?limit=3')).body.items).toHaveLength(3)
    const over = await list(svc, '?limit=4')
    expect([over.status, over.body.code, over.body.max_limit]).toEqual([400, 'STORAGE_INVALID_LIMIT', 3])
  })

  it.each(['0', '-1', 'abc', '1.5', '1e3', '', '10001', '99999999999'])('answers 400 STORAGE_INVALID_LIMIT for limit=%s', async (limit) => {
    const svc = service()
    const res = await list(svc, `?limit=${limit}`)
    expect([res.status, res.body.code]).toEqual([400, 'STORAGE_INVALID_LIMIT'])
  })

  it('accepts the default cap of 10,000', async () => {
    expect((await list(service(), '?limit=10000')).status).toBe(200)
  })

  it.each([
    ['/abs', 'leading_slash'],
    ['a//', 'empty_segment'],
    ['../', 'dot_segment'],
    ['a\u0000', 'nul'],
    ['a\nb', 'control_character'],
  ])('answers 400 STORAGE_INVALID_KEY for prefix %j', async (prefix, reason) => {
    const res = await list(service(), `?prefix=${encodeURIComponent(prefix)}`)
    expect([res.status, res.body.code, res.body.errors[0].field, res.body.errors[0].reason]).toEqual([
      400,
      'STORAGE_INVALID_KEY',
      'prefix',
      reason,
    ])
  })
})
