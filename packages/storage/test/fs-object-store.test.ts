import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createFsObjectStore } from '../src/index.ts'
import { runObjectStoreConformance } from './conformance.ts'
import { encoder, readText, rejectionCode, streamOf, tempDir } from './helpers.ts'

runObjectStoreConformance('fs', () => createFsObjectStore({ root: tempDir('fs') }))

const sha256Hex = async (text: string) => {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

describe('createFsObjectStore', () => {
  it('keeps object bytes at <root>/<key> with a SHA-256 etag', async () => {
    const root = tempDir('fs')
    const store = createFsObjectStore({ root })
    const info = await store.put('a/b/c.txt', encoder.encode('content'))
    expect(readFileSync(join(root, 'a/b/c.txt'), 'utf8')).toBe('content')
    expect(info.etag).toBe(await sha256Hex('content'))
    expect(await store.localPath('a/b/c.txt')).toBe(join(root, 'a/b/c.txt'))
    await store.close()
  })

  it('sees every object after a restart on the same root', async () => {
    const root = tempDir('fs')
    const first = createFsObjectStore({ root })
    const written = await first.put('persist/one', encoder.encode('one'))
    await first.put('persist/two', streamOf(encoder.encode('two')))
    await first.close()
    const second = createFsObjectStore({ root })
    expect(await second.head('persist/one')).toEqual(written)
    expect(await readText((await second.get('persist/two'))?.body ?? null)).toBe('two')
    expect((await second.list('persist/', 10)).items.map((i) => i.key)).toEqual(['persist/one', 'persist/two'])
    await second.close()
  })

  it('removes temp files a crash left behind when it opens', async () => {
    const root = tempDir('fs')
    mkdirSync(join(root, '.tmp'), { recursive: true })
    writeFileSync(join(root, '.tmp', 'interrupted-upload'), 'half')
    const store = createFsObjectStore({ root })
    expect(readdirSync(join(root, '.tmp'))).toEqual([])
    await store.close()
  })

  it('leaves no temp files after successful and failed writes', async () => {
    const root = tempDir('fs')
    const store = createFsObjectStore({ root })
    await store.put('ok', encoder.encode('fine'))
    expect(await rejectionCode(store.put('too-big', streamOf(new Uint8Array(100)), { maxBytes: 10 }))).toBe('STORAGE_TOO_LARGE')
    expect(readdirSync(join(root, '.tmp'))).toEqual([])
    await store.close()
  })

  it('recomputes the etag when the sidecar is missing or describes another file', async () => {
    const root = tempDir('fs')
    const store = createFsObjectStore({ root })
    const original = await store.put('doc', encoder.encode('original'))
    // A crash between the object rename and the sidecar rename leaves the old sidecar behind.
    writeFileSync(join(root, 'doc'), 'edited by hand')
    const edited = await store.head('doc')
    expect(edited?.etag).toBe(await sha256Hex('edited by hand'))
    expect(edited?.etag).not.toBe(original.etag)
    const sidecar = JSON.parse(readFileSync(join(root, '.meta', 'doc'), 'utf8'))
    expect(sidecar.etag).toBe(edited?.etag)
    writeFileSync(join(root, 'dropped'), 'no sidecar')
    const dropped = await store.get('dropped')
    // Callers own the body: read it or cancel it, or the file handle stays open until GC.
    await dropped?.body.cancel()
    expect(dropped?.info.etag).toBe(await sha256Hex('no sidecar'))
    expect((await store.list('', 10)).items.map((i) => [i.key, i.size])).toEqual([
      ['doc', 14],
      ['dropped', 10],
    ])
    await store.close()
  })

  it('never lists its own .tmp and .meta directories', async () => {
    const root = tempDir('fs')
    const store = createFsObjectStore({ root })
    await store.put('.tmpx', encoder.encode('a key, not the temp dir'))
    await store.put('z', encoder.encode('z'))
    expect((await store.list('', 10)).items.map((i) => i.key)).toEqual(['.tmpx', 'z'])
    expect((await store.list('.', 10)).items.map((i) => i.key)).toEqual(['.tmpx'])
    await store.close()
  })

  it('prunes directories emptied by a delete', async () => {
    const root = tempDir('fs')
    const store = createFsObjectStore({ root })
    await store.put('deep/er/file', encoder.encode('x'))
    await store.delete('deep/er/file')
    expect(readdirSync(root).sort()).toEqual(['.meta', '.tmp'])
    await store.put('deep/er/file', encoder.encode('again'))
    expect(await readText((await store.get('deep/er/file'))?.body ?? null)).toBe('again')
    await store.close()
  })

  it('refuses a root it cannot create with CONFIG_INVALID at open', () => {
    const root = tempDir('fs')
    writeFileSync(join(root, 'file'), 'x')
    expect(() => createFsObjectStore({ root: join(root, 'file', 'sub') })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
  })
})
