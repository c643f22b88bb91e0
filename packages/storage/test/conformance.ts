import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ObjectStore } from '../src/index.ts'
import { encoder, failingStream, pseudoRandomBytes, readAll, readText, rejectionCode, streamOf } from './helpers.ts'

export type ObjectStoreFactory = () => ObjectStore | Promise<ObjectStore>

let run = 0

/**
 * The ObjectStore contract, run against every backend. Each test works under its own key
 * namespace, so backends that share one bucket across tests (S3) stay independent.
 */
export function runObjectStoreConformance(name: string, factory: ObjectStoreFactory): void {
  describe(`ObjectStore conformance: ${name}`, () => {
    let store: ObjectStore
    let ns = ''
    const k = (key: string) => `${ns}${key}`

    beforeEach(async () => {
      store = await factory()
      ns = `c${++run}-${Math.random().toString(36).slice(2, 8)}/`
    })
    afterEach(async () => {
      await store.close()
    })

    it('round-trips put, head, get and delete', async () => {
      const before = Date.now()
      const info = await store.put(k('hello.txt'), encoder.encode('hello world'))
      expect(info).toMatchObject({ key: k('hello.txt'), size: 11 })
      expect(info.etag).toMatch(/^[0-9a-f-]{32,}$/)
      expect(info.modified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      expect(Math.abs(Date.parse(info.modified) - before)).toBeLessThan(60_000)
      expect(await store.head(k('hello.txt'))).toEqual(info)
      const got = await store.get(k('hello.txt'))
      expect(got?.info).toEqual(info)
      expect(await readText(got?.body ?? null)).toBe('hello world')
      expect(await store.delete(k('hello.txt'))).toBe(true)
      expect(await store.head(k('hello.txt'))).toBeUndefined()
      expect(await store.get(k('hello.txt'))).toBeUndefined()
      expect(await store.delete(k('hello.txt'))).toBe(false)
    })

    it('answers undefined/false for keys that were never written', async () => {
      expect(await store.get(k('missing'))).toBeUndefined()
      expect(await store.head(k('missing'))).toBeUndefined()
      expect(await store.delete(k('missing'))).toBe(false)
      expect(await store.localPath(k('missing'))).toBeUndefined()
      expect(await store.list(k(''), 10)).toEqual({ items: [], truncated: false })
    })

    it('derives the etag from the content: same bytes, same etag; other bytes, other etag', async () => {
      const a = await store.put(k('a'), encoder.encode('same'))
      const b = await store.put(k('b'), streamOf(encoder.encode('same'), 2))
      const c = await store.put(k('a'), encoder.encode('different'))
      expect(b.etag).toBe(a.etag)
      expect(c.etag).not.toBe(a.etag)
      expect((await store.head(k('a')))?.etag).toBe(c.etag)
    })

    it('replaces an object and reports the new size and etag', async () => {
      await store.put(k('doc'), encoder.encode('version one, longer'))
      const second = await store.put(k('doc'), streamOf(encoder.encode('v2')))
      expect(second.size).toBe(2)
      const got = await store.get(k('doc'))
      expect(got?.info.etag).toBe(second.etag)
      expect(await readText(got?.body ?? null)).toBe('v2')
    })

    it('lets concurrent readers see the old or the new object during a replace, never a mix', async () => {
      const size = 192 * 1024
      const versions = [new Uint8Array(size).fill(0x61), new Uint8Array(size).fill(0x62)]
      await store.put(k('hot'), versions[0] as Uint8Array)
      let writing = true
      const seen = new Set<number>()
      const reader = async () => {
        let reads = 0
        while (writing || reads < 2) {
          const got = await store.get(k('hot'))
          expect(got).toBeDefined()
          const body = await readAll(got?.body ?? null)
          expect(body.byteLength).toBe(size)
          const first = body[0] as number
          expect(body.every((b) => b === first)).toBe(true)
          seen.add(first)
          reads++
        }
      }
      const readers = [reader(), reader(), reader()]
      for (let i = 1; i <= 6; i++) await store.put(k('hot'), streamOf(versions[i % 2] as Uint8Array, 16 * 1024))
      writing = false
      await Promise.all(readers)
      // Only ever one of the two versions written: a body of the right length but other bytes fails here.
      expect([...seen].every((b) => b === 0x61 || b === 0x62)).toBe(true)
      expect((await readAll((await store.get(k('hot')))?.body ?? null))[0]).toBe(0x61)
    })

    it('stores nested keys side by side', async () => {
      const keys = ['x/y/z.bin', 'x/y/w.bin', 'x/y2', 'x/a b/c%20d.txt', 'x/y/deeper/still/file']
      for (const key of keys) await store.put(k(key), encoder.encode(key))
      for (const key of keys) expect(await readText((await store.get(k(key)))?.body ?? null)).toBe(key)
      expect(await store.delete(k('x/y/w.bin'))).toBe(true)
      expect(await store.head(k('x/y/z.bin'))).toBeDefined()
    })

    it('either stores a key that is also a "directory" of another key or refuses it with STORAGE_KEY_CONFLICT', async () => {
      await store.put(k('p/q'), encoder.encode('child'))
      const code = await rejectionCode(store.put(k('p'), encoder.encode('parent')))
      expect(['resolved', 'STORAGE_KEY_CONFLICT']).toContain(code)
      expect(await readText((await store.get(k('p/q')))?.body ?? null)).toBe('child')
      if (code === 'STORAGE_KEY_CONFLICT') expect(await store.head(k('p'))).toBeUndefined()
    })

    it('lists keys in UTF-8 byte order with prefix filtering', async () => {
      const keys = ['b', 'a/b', 'a-c', 'a/a/z', 'ab', 'A', 'é', '\u{1F600}', '\uFFFD', 'a.']
      for (const key of keys) await store.put(k(key), encoder.encode(key))
      const sorted = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)))
      const all = await store.list(ns, 100)
      expect(all.truncated).toBe(false)
      expect(all.items.map((i) => i.key)).toEqual(sorted.map(k))
      expect(all.items.find((i) => i.key === k('ab'))).toMatchObject({ size: 2 })
      expect((await store.list(k('a/'), 100)).items.map((i) => i.key)).toEqual([k('a/a/z'), k('a/b')])
      expect((await store.list(k('a'), 100)).items.map((i) => i.key)).toEqual([k('a-c'), k('a.'), k('a/a/z'), k('a/b'), k('ab')])
      expect((await store.list(k('zz'), 100)).items).toEqual([])
    })

    it('truncates at the limit and says so', async () => {
      for (const key of ['k1', 'k2', 'k3', 'k4', 'k5']) await store.put(k(key), encoder.encode(key))
      const two = await store.list(ns, 2)
      expect(two.items.map((i) => i.key)).toEqual([k('k1'), k('k2')])
      expect(two.truncated).toBe(true)
      expect(await store.list(ns, 5)).toMatchObject({ truncated: false })
      expect((await store.list(ns, 5)).items).toHaveLength(5)
      expect((await store.list(ns, 4)).truncated).toBe(true)
    })

    it('keeps binary content byte for byte, streamed in odd chunks', async () => {
      const every = Uint8Array.from({ length: 256 }, (_, i) => i)
      const noise = pseudoRandomBytes(1024 * 1024 + 13)
      await store.put(k('bytes.bin'), every)
      const info = await store.put(k('noise.bin'), streamOf(noise, 65_537))
      expect(info.size).toBe(noise.byteLength)
      expect(await readAll((await store.get(k('bytes.bin')))?.body ?? null)).toEqual(every)
      const back = await readAll((await store.get(k('noise.bin')))?.body ?? null)
      expect(createHash('sha256').update(back).digest('hex')).toBe(createHash('sha256').update(noise).digest('hex'))
    })

    it('stores an empty object', async () => {
      const info = await store.put(k('empty'), new Uint8Array(0))
      expect(info.size).toBe(0)
      const streamed = await store.put(k('empty-stream'), new ReadableStream({ start: (c) => c.close() }))
      expect(streamed.size).toBe(0)
      expect(streamed.etag).toBe(info.etag)
      const got = await store.get(k('empty'))
      expect(got?.info.size).toBe(0)
      expect((await readAll(got?.body ?? null)).byteLength).toBe(0)
      expect((await store.list(ns, 10)).items.map((i) => i.size)).toEqual([0, 0])
    })

    it('refuses more than maxBytes with STORAGE_TOO_LARGE and leaves nothing behind', async () => {
      expect(await rejectionCode(store.put(k('big'), streamOf(new Uint8Array(5000), 1000), { maxBytes: 4096 }))).toBe('STORAGE_TOO_LARGE')
      expect(await rejectionCode(store.put(k('big'), new Uint8Array(5000), { maxBytes: 4096 }))).toBe('STORAGE_TOO_LARGE')
      expect(await store.head(k('big'))).toBeUndefined()
      await store.put(k('kept'), encoder.encode('original'))
      expect(await rejectionCode(store.put(k('kept'), streamOf(new Uint8Array(5000)), { maxBytes: 4096 }))).toBe('STORAGE_TOO_LARGE')
      expect(await readText((await store.get(k('kept')))?.body ?? null)).toBe('original')
      expect((await store.put(k('exact'), streamOf(new Uint8Array(4096)), { maxBytes: 4096 })).size).toBe(4096)
      expect((await store.list(ns, 10)).items.map((i) => i.key)).toEqual([k('exact'), k('kept')])
    })

    it('stores nothing when the body stream fails midway', async () => {
      const code = await rejectionCode(store.put(k('torn'), failingStream([encoder.encode('partial ')])))
      expect(code).toBe('STORAGE_UPLOAD_INCOMPLETE')
      expect(await store.head(k('torn'))).toBeUndefined()
    })

    it('handles unicode keys', async () => {
      const keys = ['ünï/コード/😀.txt', 'Ωmega', 'mixed/עברית/العربية', 'nfc-é', 'nfd-e\u0301']
      for (const key of keys) await store.put(k(key), encoder.encode(`content of ${key}`))
      for (const key of keys) expect(await readText((await store.get(k(key)))?.body ?? null)).toBe(`content of ${key}`)
      expect((await store.list(ns, 10)).items.map((i) => i.key).sort()).toEqual(keys.map(k).sort())
    })

    it('refuses keys that break the key policy with STORAGE_INVALID_KEY', async () => {
      for (const bad of ['', '/abs', 'a/../b', 'a/./b', 'a//b', 'trail/', 'nul\u0000', 'cr\r', 'lf\n', 'tab\t', '.tmp/x', '.meta/x']) {
        expect(await rejectionCode(Promise.resolve().then(() => store.put(bad, encoder.encode('x'))))).toBe('STORAGE_INVALID_KEY')
        expect(await rejectionCode(Promise.resolve().then(() => store.get(bad)))).toBe('STORAGE_INVALID_KEY')
      }
      expect(await rejectionCode(Promise.resolve().then(() => store.put('x'.repeat(1025), encoder.encode('x'))))).toBe(
        'STORAGE_INVALID_KEY',
      )
    })

    it('exposes a local file with the current bytes through localPath', async () => {
      await store.put(k('data/file.parquet'), encoder.encode('first'))
      const first = await store.localPath(k('data/file.parquet'))
      expect(first).toBeDefined()
      expect(await readFile(first as string, 'utf8')).toBe('first')
      await store.put(k('data/file.parquet'), encoder.encode('second version'))
      const second = await store.localPath(k('data/file.parquet'))
      expect(await readFile(second as string, 'utf8')).toBe('second version')
      expect(await store.localPath(k('data/file.parquet'))).toBe(second)
      await store.delete(k('data/file.parquet'))
      expect(await store.localPath(k('data/file.parquet'))).toBeUndefined()
    })

    it('refuses writes once closed', async () => {
      await store.close()
      expect(await rejectionCode(store.put(k('late'), encoder.encode('x')))).toBe('STORAGE_BACKEND_UNAVAILABLE')
      store = await factory()
    })
  })
}
