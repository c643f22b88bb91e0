import { describe, expect, it } from 'vitest'
import { fsProblem } from '../src/fs-errors.ts'
import { createS3ObjectStore, createStorageService } from '../src/index.ts'
import { s3Problem } from '../src/s3-errors.ts'
import { tempDir } from './helpers.ts'
import { request, send } from './http-helpers.ts'

const errnoError = (code: string) => Object.assign(new Error(`${code}: open '/secret/state/dir/file'`), { code })
const sdkError = (name: string, status?: number) =>
  Object.assign(new Error(`${name} at https://user:pass@s3.internal/bucket`), { name, $metadata: { httpStatusCode: status } })

describe('fsProblem', () => {
  it.each([
    ['ENOSPC', 'STORAGE_INSUFFICIENT_SPACE', 507],
    ['EDQUOT', 'STORAGE_INSUFFICIENT_SPACE', 507],
    ['EMFILE', 'STORAGE_BACKEND_UNAVAILABLE', 503],
    ['EACCES', 'STORAGE_BACKEND_ERROR', 500],
    ['EIO', 'STORAGE_BACKEND_ERROR', 500],
  ])('maps %s to %s without echoing the path', (code, expected, status) => {
    const problem = fsProblem('write', errnoError(code))
    expect([problem.code, problem.status]).toEqual([expected, status])
    expect(problem.detail).toBe(`filesystem write failed: ${code}`)
  })
})

describe('s3Problem', () => {
  it.each([
    [sdkError('SlowDown', 503), 'STORAGE_BACKEND_UNAVAILABLE'],
    [sdkError('InternalError', 500), 'STORAGE_BACKEND_UNAVAILABLE'],
    [sdkError('TimeoutError'), 'STORAGE_BACKEND_UNAVAILABLE'],
    [Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:9000'), { code: 'ECONNREFUSED' }), 'STORAGE_BACKEND_UNAVAILABLE'],
    [sdkError('AccessDenied', 403), 'STORAGE_BACKEND_ERROR'],
    [sdkError('NoSuchBucket', 404), 'STORAGE_BACKEND_ERROR'],
    [sdkError('EntityTooLarge', 400), 'STORAGE_TOO_LARGE'],
  ])('maps %o to %s with a detail that names no endpoint', (err, expected) => {
    const problem = s3Problem('GetObject', err)
    expect(problem.code).toBe(expected)
    expect(problem.detail).toMatch(/^S3 GetObject failed: [A-Za-z]+( \(HTTP \d{3}\))?$/)
    expect(problem.detail).not.toMatch(/pass|internal|10\.0\.0\.1/)
  })
})

describe('backend failures over HTTP', () => {
  it('answers 503 with Retry-After when the S3 endpoint is down', async () => {
    const store = createS3ObjectStore({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      bucket: 'b',
      accessKeyId: 'id',
      secretAccessKey: 'never-shown',
      forcePathStyle: true,
      maxAttempts: 1,
      cacheDir: tempDir('s3down'),
    })
    const svc = createStorageService({}, { store })
    try {
      for (const [method, body] of [
        ['GET', null],
        ['PUT', 'x'],
        ['DELETE', null],
      ] as const) {
        const res = await send(svc, request(method, 'k', body))
        expect([res.status, res.body.code, res.headers.get('retry-after')], method).toEqual([503, 'STORAGE_BACKEND_UNAVAILABLE', '5'])
        expect(res.text).not.toContain('never-shown')
        expect(res.text).not.toContain('127.0.0.1')
      }
    } finally {
      await svc.close()
      await store.close()
    }
  })
})
