import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { createFaultyObjectStore, createMemoryObjectStore } from '../src/testing.ts'
import { runObjectStoreConformance } from './conformance.ts'
import { encoder, failingStream, readText, rejectionCode, tempDir } from './helpers.ts'

runObjectStoreConformance('memory', () => createMemoryObjectStore())

describe('createMemoryObjectStore', () => {
  it('gives the SHA-256 etag the fs backend gives for the same bytes', async () => {
    const store = createMemoryObjectStore()
    const info = await store.put('a/b', encoder.encode('content'))
    // sha256("content"), as fs-object-store.test.ts computes it for the fs backend.
    expect(info.etag).toBe('ed7002b439e9ac845f22357d822bac1444730fbdb6016d3ec9432297b9ec9f73')
    await store.close()
  })

  it('refuses a key that is also another key’s "directory", as the fs backend does', async () => {
    const store = createMemoryObjectStore()
    await store.put('p/q', encoder.encode('child'))
    expect(await rejectionCode(store.put('p', encoder.encode('parent')))).toBe('STORAGE_KEY_CONFLICT')
    expect(await rejectionCode(store.put('p/q/r', encoder.encode('grandchild')))).toBe('STORAGE_KEY_CONFLICT')
    expect(store.keys()).toEqual(['p/q'])
    await store.delete('p/q')
    expect((await store.put('p', encoder.encode('parent'))).size).toBe(6)
    // A sibling whose name merely starts with the key is no conflict.
    expect((await store.put('pq', encoder.encode('x'))).size).toBe(1)
    await store.close()
  })

  it('stamps `modified` from the given clock and shows its contents synchronously', async () => {
    const store = createMemoryObjectStore({ now: () => new Date('2025-01-02T03:04:05.678Z') })
    await store.put('b', encoder.encode('bee'))
    await store.put('a/z', encoder.encode('zed'))
    expect((await store.head('b'))?.modified).toBe('2025-01-02T03:04:05.678Z')
    expect(store.keys()).toEqual(['a/z', 'b'])
    expect(store.text('b')).toBe('bee')
    const copy = store.bytes('b') as Uint8Array
    copy.fill(0)
    expect(store.text('b')).toBe('bee')
    expect(store.bytes('missing')).toBeUndefined()
    await store.close()
  })

  it('seeds objects synchronously under the same rules as put', async () => {
    const store = createMemoryObjectStore()
    const seeded = store.seed('s/one', 'text')
    expect(seeded).toMatchObject({ key: 's/one', size: 4, etag: (await store.put('s/two', encoder.encode('text'))).etag })
    expect(await readText((await store.get('s/one'))?.body ?? null)).toBe('text')
    expect(store.seed('s/bin', new Uint8Array([0xff, 0x00])).size).toBe(2)
    expect(() => store.seed('.tmp/x', 'x')).toThrow(expect.objectContaining({ code: 'STORAGE_INVALID_KEY' }))
    expect(() => store.seed('s/one/below', 'x')).toThrow(expect.objectContaining({ code: 'STORAGE_KEY_CONFLICT' }))
    await store.close()
    expect(() => store.seed('late', 'x')).toThrow(expect.objectContaining({ code: 'STORAGE_BACKEND_UNAVAILABLE' }))
  })

  it('keeps what was put even when the caller reuses its buffer', async () => {
    const store = createMemoryObjectStore()
    const buffer = encoder.encode('first')
    await store.put('k', buffer)
    buffer.fill(0x21)
    expect(await readText((await store.get('k'))?.body ?? null)).toBe('first')
    await store.close()
  })

  it('writes localPath copies into a given cacheDir and removes its own temp directory on close', async () => {
    const cacheDir = tempDir('memory-cache')
    const given = createMemoryObjectStore({ cacheDir })
    await given.put('x', encoder.encode('bytes'))
    const path = (await given.localPath('x')) as string
    expect(path.startsWith(cacheDir)).toBe(true)
    await given.close()
    expect(await readFile(path, 'utf8')).toBe('bytes')

    const owned = createMemoryObjectStore()
    await owned.put('x', encoder.encode('bytes'))
    const temp = (await owned.localPath('x')) as string
    await owned.close()
    expect(await rejectionCode(readFile(temp))).toBe('ENOENT')
  })
})

describe('createFaultyObjectStore', () => {
  it('fails with the problems the fs backend raises, and leaves the store as it was', async () => {
    const inner = createMemoryObjectStore()
    const store = createFaultyObjectStore(inner)
    store.failPuts(1)
    const err = await store.put('k', encoder.encode('x')).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'STORAGE_BACKEND_ERROR', status: 500, detail: 'filesystem write failed: EIO' })
    expect(inner.keys()).toEqual([])
    await store.put('k', encoder.encode('x'))
    store.failGet('k', 'EMFILE')
    expect(await rejectionCode(store.get('k'))).toBe('STORAGE_BACKEND_UNAVAILABLE')
    store.failList(true, 'ENOSPC')
    expect(await rejectionCode(store.list('', 10))).toBe('STORAGE_INSUFFICIENT_SPACE')
    store.heal()
    expect(await readText((await store.get('k'))?.body ?? null)).toBe('x')
    expect((await store.list('', 10)).items.map((i) => i.key)).toEqual(['k'])
    expect([store.calls, store.puts]).toEqual([{ put: 2, get: 2, list: 2, peakPuts: 1 }, ['k', 'k']])
    await store.close()
  })

  it('counts puts that overlap', async () => {
    const store = createFaultyObjectStore(createMemoryObjectStore())
    store.delayPuts(10)
    await Promise.all(['a', 'b', 'c'].map((k) => store.put(k, encoder.encode(k))))
    expect(store.calls.peakPuts).toBe(3)
    // A body that fails still goes through the inner store's own refusal.
    expect(await rejectionCode(store.put('torn', failingStream([encoder.encode('part')])))).toBe('STORAGE_UPLOAD_INCOMPLETE')
    await store.close()
  })
})
