import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createS3ObjectStore, type S3ObjectStoreOptions } from '../src/index.ts'
import { runObjectStoreConformance } from './conformance.ts'
import { encoder, rejectionCode, tempDir } from './helpers.ts'
import { S3RVER_CREDENTIALS, type S3rverHarness, startS3rver } from './s3rver-harness.ts'

let harness: S3rverHarness

beforeAll(async () => {
  harness = await startS3rver(tempDir('s3rver'))
})
afterAll(async () => {
  await harness.close()
})

function options(over: Partial<S3ObjectStoreOptions> = {}): S3ObjectStoreOptions {
  return {
    endpoint: harness.endpoint,
    region: 'us-east-1',
    bucket: harness.bucket,
    ...S3RVER_CREDENTIALS,
    forcePathStyle: true,
    // s3rver's V2 continuation tokens need DES, which neither Node 20 nor Bun provide.
    listVersion: 1,
    cacheDir: tempDir('s3cache'),
    ...over,
  }
}

runObjectStoreConformance('s3 (s3rver)', () => createS3ObjectStore(options()))

describe('createS3ObjectStore', () => {
  it('maps an unreachable endpoint to 503 STORAGE_BACKEND_UNAVAILABLE with Retry-After', async () => {
    const store = createS3ObjectStore(options({ endpoint: 'http://127.0.0.1:9', maxAttempts: 1 }))
    try {
      const err = await store.head('x').catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'STORAGE_BACKEND_UNAVAILABLE', status: 503 })
      expect((err as { headers?: Record<string, string> }).headers?.['retry-after']).toBe('5')
      expect((err as Error).message).not.toContain('127.0.0.1')
    } finally {
      await store.close()
    }
  })

  it('maps a missing bucket to STORAGE_BACKEND_ERROR instead of "not found"', async () => {
    const store = createS3ObjectStore(options({ bucket: 'no-such-bucket' }))
    try {
      expect(await rejectionCode(store.get('x'))).toBe('STORAGE_BACKEND_ERROR')
      expect(await rejectionCode(store.put('x', encoder.encode('x')))).toBe('STORAGE_BACKEND_ERROR')
    } finally {
      await store.close()
    }
  })

  it('never echoes credentials when S3 refuses them', async () => {
    const secret = 'sekret-value-that-must-not-leak'
    const store = createS3ObjectStore(options({ accessKeyId: 'NOT-A-KNOWN-KEY', secretAccessKey: secret, maxAttempts: 1 }))
    try {
      const err = await store.put('x', encoder.encode('x')).catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'STORAGE_BACKEND_ERROR', status: 500 })
      expect(JSON.stringify({ detail: (err as Error).message })).not.toContain(secret)
      expect((err as Error).message).toMatch(/^S3 PutObject failed: \w+ \(HTTP 403\)$/)
    } finally {
      await store.close()
    }
  })

  it('reuses the downloaded copy while the etag is unchanged', async () => {
    const store = createS3ObjectStore(options())
    try {
      await store.put('cache/once', encoder.encode('bytes'))
      const first = await store.localPath('cache/once')
      const again = await Promise.all([store.localPath('cache/once'), store.localPath('cache/once')])
      expect(again).toEqual([first, first])
    } finally {
      await store.close()
    }
  })

  it('pages through more keys than one S3 list page holds', async () => {
    const store = createS3ObjectStore(options())
    try {
      const keys = Array.from({ length: 1003 }, (_, i) => `many/${String(i).padStart(4, '0')}`)
      for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((key) => store.put(key, encoder.encode(key))))
      const all = await store.list('many/', 2000)
      expect(all.truncated).toBe(false)
      expect(all.items.map((item) => item.key)).toEqual(keys)
      const capped = await store.list('many/', 1001)
      expect(capped.truncated).toBe(true)
      expect(capped.items.at(-1)?.key).toBe(keys[1000])
    } finally {
      await store.close()
    }
  }, 60_000)

  it('lists with ListObjectsV2 and proves truncation with one extra key', async () => {
    const store = createS3ObjectStore(options({ listVersion: 2 }))
    try {
      for (const key of ['v2/a', 'v2/b', 'v2/c']) await store.put(key, encoder.encode(key))
      // limit 2 asks for 3 keys, so s3rver never has to mint a continuation token.
      expect(await store.list('v2/', 2)).toMatchObject({ truncated: true, items: [{ key: 'v2/a' }, { key: 'v2/b' }] })
      expect((await store.list('v2/', 3)).truncated).toBe(false)
    } finally {
      await store.close()
    }
  })

  it('refuses incomplete options at boot with CONFIG_INVALID', () => {
    expect(() => createS3ObjectStore(options({ bucket: '' }))).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
    expect(() => createS3ObjectStore(options({ endpoint: 'not a url' }))).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
  })
})
