import { createLogger } from '@lakehouse/kit'
import { afterEach, describe, expect, it } from 'vitest'
import { createFsObjectStore, createStorageService, RESERVED_PREFIXES, type StorageService } from '../src/index.ts'
import { encoder, pseudoRandomBytes, readAll, tempDir } from './helpers.ts'
import { encodeKey, fsService, getKey, heldBody, list, OBJECTS, putKey, request, send } from './http-helpers.ts'

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

describe('PUT /v1/storage/objects/{key}', () => {
  it('answers 201 with the object info, ETag and Location for a new key, 200 when it replaces one', async () => {
    const svc = service()
    const created = await putKey(svc, 'reports/q1.csv', 'a,b\n1,2\n', { 'content-type': 'text/csv' })
    expect(created.status).toBe(201)
    expect(created.headers.get('content-type')).toBe('application/json')
    expect(Object.keys(created.body)).toEqual(['key', 'size', 'etag', 'modified'])
    expect(created.body).toMatchObject({ key: 'reports/q1.csv', size: 8 })
    expect(created.headers.get('etag')).toBe(`"${created.body.etag}"`)
    expect(created.headers.get('location')).toBe('/v1/storage/objects/reports/q1.csv')
    const replaced = await putKey(svc, 'reports/q1.csv', 'a,b\n3,4\n')
    expect(replaced.status).toBe(200)
    expect(replaced.headers.get('location')).toBeNull()
    expect(replaced.body.etag).not.toBe(created.body.etag)
  })

  it('accepts any content type, binary bodies and an empty body', async () => {
    const svc = service()
    const bytes = pseudoRandomBytes(300_000)
    expect((await putKey(svc, 'bin', bytes, { 'content-type': 'image/png' })).body.size).toBe(300_000)
    expect((await putKey(svc, 'none', null)).body).toMatchObject({ size: 0 })
    const res = await svc.handler(request('GET', 'bin'))
    expect(await readAll(res.body)).toEqual(bytes)
  })

  it('decodes percent-encoding exactly once', async () => {
    const svc = service()
    expect((await send(svc, request('PUT', 'dir%2Fsub%2Ffile%2541', 'x'))).body.key).toBe('dir/sub/file%41')
    expect((await send(svc, request('PUT', 'caf%C3%A9/%F0%9F%98%80', 'x'))).body.key).toBe('café/😀')
    expect((await send(svc, request('PUT', 'spaces here+plus', 'x'))).body.key).toBe('spaces here+plus')
    expect((await list(svc)).body.items.map((i: { key: string }) => i.key)).toEqual(['café/😀', 'dir/sub/file%41', 'spaces here+plus'])
  })
})

describe('GET and HEAD /v1/storage/objects/{key}', () => {
  it('streams the body with content-length, etag, last-modified and an octet-stream type', async () => {
    const svc = service()
    const put = await putKey(svc, 'a/b.txt', 'hello', { 'content-type': 'text/plain' })
    const res = await svc.handler(request('GET', 'a/b.txt'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/octet-stream')
    expect(res.headers.get('content-length')).toBe('5')
    expect(res.headers.get('etag')).toBe(`"${put.body.etag}"`)
    expect(res.headers.get('last-modified')).toBe(new Date(put.body.modified).toUTCString())
    expect(await res.text()).toBe('hello')
  })

  it('answers HEAD with the same headers and no body', async () => {
    const svc = service()
    await putKey(svc, 'h', 'twelve bytes')
    const get = await svc.handler(request('GET', 'h'))
    await get.body?.cancel()
    const head = await svc.handler(request('HEAD', 'h'))
    expect(head.status).toBe(200)
    for (const name of ['content-type', 'content-length', 'etag', 'last-modified'])
      expect(head.headers.get(name)).toBe(get.headers.get(name))
    expect(await head.text()).toBe('')
  })

  it('answers 404 STORAGE_NOT_FOUND for an unknown key, on GET and HEAD', async () => {
    const svc = service()
    const miss = await getKey(svc, 'nope/never')
    expect([miss.status, miss.body.code]).toEqual([404, 'STORAGE_NOT_FOUND'])
    expect((await getKey(svc, 'nope/never', 'HEAD')).status).toBe(404)
  })
})

describe('DELETE /v1/storage/objects/{key}', () => {
  it('answers 204 and then 404', async () => {
    const svc = service()
    await putKey(svc, 'gone', 'x')
    const first = await send(svc, request('DELETE', 'gone'))
    expect([first.status, first.text]).toEqual([204, ''])
    const second = await send(svc, request('DELETE', 'gone'))
    expect([second.status, second.body.code]).toEqual([404, 'STORAGE_NOT_FOUND'])
    expect((await getKey(svc, 'gone')).status).toBe(404)
  })
})

describe('reserved prefixes', () => {
  it.each(RESERVED_PREFIXES)('refuses PUT and DELETE under %s with 403 but serves reads', async (prefix) => {
    const root = tempDir('svc')
    const svc = service({}, root)
    const put = await putKey(svc, `${prefix}x.json`, '{}')
    expect([put.status, put.body.code]).toEqual([403, 'STORAGE_RESERVED_KEY'])
    expect(put.body.reserved_prefix).toBe(prefix)
    // The catalog and ingest write there through the store itself.
    await svc.store.put(`${prefix}x.json`, encoder.encode('{"live":true}'))
    const del = await send(svc, request('DELETE', encodeKey(`${prefix}x.json`)))
    expect([del.status, del.body.code]).toEqual([403, 'STORAGE_RESERVED_KEY'])
    expect((await getKey(svc, `${prefix}x.json`)).text).toBe('{"live":true}')
    expect((await list(svc, `?prefix=${encodeURIComponent(prefix)}`)).body.items).toHaveLength(1)
  })

  it('only reserves whole prefixes', async () => {
    const svc = service()
    expect((await putKey(svc, 'datasets', 'x')).status).toBe(201)
    expect((await putKey(svc, 'datasetsX/y', 'x')).status).toBe(201)
    expect((await putKey(svc, '_systemic', 'x')).status).toBe(201)
  })
})

describe('routing', () => {
  it('answers 405 with Allow for other methods', async () => {
    const svc = service()
    const post = await send(svc, request('POST', 'k', 'x'))
    expect([post.status, post.body.code]).toEqual([405, 'HTTP_METHOD_NOT_ALLOWED'])
    expect(post.headers.get('allow')).toBe('DELETE, GET, HEAD, PUT')
    const putCollection = await send(svc, new Request(OBJECTS, { method: 'PUT', body: 'x' }))
    expect([putCollection.status, putCollection.headers.get('allow')]).toEqual([405, 'GET, HEAD'])
    const deleteCollection = await send(svc, new Request(OBJECTS, { method: 'DELETE' }))
    expect(deleteCollection.status).toBe(405)
  })

  it('answers 404 HTTP_NOT_FOUND outside its routes', async () => {
    const svc = service()
    const other = await send(svc, new Request(`${OBJECTS.replace('/objects', '/buckets')}`))
    expect([other.status, other.body.code]).toEqual([404, 'HTTP_NOT_FOUND'])
  })
})

describe('restart persistence', () => {
  it('serves objects written before the restart from a new store on the same root', async () => {
    const root = tempDir('svc')
    const before = createStorageService({}, { store: createFsObjectStore({ root }) })
    const put = await putKey(before, 'keep/me', 'durable')
    await before.close()
    await before.store.close()
    const after = createStorageService({}, { store: createFsObjectStore({ root }) })
    open.push(after)
    const got = await getKey(after, 'keep/me')
    expect([got.status, got.text, got.headers.get('etag')]).toEqual([200, 'durable', `"${put.body.etag}"`])
    expect((await list(after)).body).toEqual({ items: [put.body], truncated: false })
  })
})

describe('createStorageService', () => {
  it('exposes its store and resolved config, and leaves the store to its owner on close', async () => {
    const store = createFsObjectStore({ root: tempDir('svc') })
    const svc = createStorageService({ putSlots: 2 }, { store })
    expect(svc.store).toBe(store)
    expect(svc.config).toMatchObject({ putSlots: 2, maxObjectBytes: 256 * 1024 * 1024, listCap: 10_000, listDefaultLimit: 1000 })
    await svc.close()
    await svc.close()
    expect((await store.put('still-open', encoder.encode('x'))).size).toBe(1)
    await store.close()
    const late = await putKey(svc, 'late', 'x')
    expect([late.status, late.body.code, late.headers.get('retry-after')]).toEqual([503, 'STORAGE_BACKEND_UNAVAILABLE', '5'])
  })

  it('waits for in-flight PUTs on close', async () => {
    const svc = service()
    const h = heldBody(encoder.encode('slow'))
    const slow = send(svc, request('PUT', 'slow', h.stream))
    await new Promise((r) => setTimeout(r, 20))
    let closed = false
    const closing = svc.close().then(() => {
      closed = true
    })
    await new Promise((r) => setTimeout(r, 20))
    expect(closed).toBe(false)
    h.release()
    expect((await slow).status).toBe(201)
    await closing
    expect(closed).toBe(true)
  })

  it('logs its resolved config once, at creation', async () => {
    const lines: string[] = []
    const logger = createLogger({ level: 'info', sink: (line) => lines.push(line) })
    const svc = createStorageService({ putSlots: 3 }, { store: createFsObjectStore({ root: tempDir('svc'), logger }), logger })
    await putKey(svc, 'k', 'x')
    await svc.close()
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      msg: 'storage service ready',
      component: 'storage',
      backend: 'fs',
      config: { putSlots: 3 },
    })
  })
})
