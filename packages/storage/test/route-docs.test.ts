import { documentedAnswers } from '@lakehouse/kit/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { type StorageConfig, type StorageService, storageErrors } from '../src/index.ts'
import { heldBody, OBJECTS, objectUrl, request, fsService as service } from './http-helpers.ts'

const open: StorageService[] = []
afterEach(async () => {
  await Promise.all(
    open.splice(0).map(async (s) => {
      await s.close()
      await s.store.close()
    }),
  )
})

function setup(config: Partial<StorageConfig> = {}) {
  const svc = service(config)
  open.push(svc)
  const check = documentedAnswers(svc.handler, [storageErrors])
  /** Checks the answer against the docs; returns its status and problem code. */
  const send = async (req: Request): Promise<[number, string | undefined]> => {
    const res = await svc.handler(req)
    expect(await check(req, res)).toEqual([])
    const text = await res.text()
    const type = res.headers.get('content-type') ?? ''
    return [res.status, type.includes('json') && text !== '' ? (JSON.parse(text) as { code?: string }).code : undefined]
  }
  return { svc, send }
}

const list = (query = '') => new Request(`${OBJECTS}${query}`)

describe('storage route docs', () => {
  it('documents listing, reading, writing and deleting objects, with their refusals', async () => {
    const { send } = setup({ maxObjectBytes: 16 })
    const answers = []
    for (const req of [
      list(),
      request('PUT', 'reports/q1.csv', 'a,b\n1,2\n', { 'content-type': 'text/csv' }),
      request('PUT', 'reports/q1.csv', 'a,b\n3,4\n'),
      request('PUT', 'reports/empty', null),
      request('PUT', 'reports/q1.csv/part', 'x'),
      request('PUT', 'datasets/x.parquet', 'x'),
      request('PUT', '.tmp/x', 'x'),
      request('PUT', 'big', 'x'.repeat(17)),
      list(),
      list('?prefix=reports/&limit=1'),
      list('?limit=0'),
      list('?prefix=/x'),
      request('GET', 'reports/q1.csv'),
      request('HEAD', 'reports/q1.csv'),
      request('GET', 'reports/nothing'),
      request('GET', 'bad%ZZ'),
      request('DELETE', 'reports/q1.csv'),
      request('DELETE', 'reports/q1.csv'),
      request('DELETE', '_system/catalog/x.json'),
      request('DELETE', 'a/%00'),
    ]) {
      answers.push(await send(req))
    }
    expect(answers).toEqual([
      [200, undefined],
      [201, undefined],
      [200, undefined],
      [201, undefined],
      [409, 'STORAGE_KEY_CONFLICT'],
      [403, 'STORAGE_RESERVED_KEY'],
      [400, 'STORAGE_INVALID_KEY'],
      [413, 'STORAGE_TOO_LARGE'],
      [200, undefined],
      [200, undefined],
      [400, 'STORAGE_INVALID_LIMIT'],
      [400, 'STORAGE_INVALID_KEY'],
      [200, undefined],
      [200, undefined],
      [404, 'STORAGE_NOT_FOUND'],
      [400, 'STORAGE_INVALID_KEY'],
      [204, undefined],
      [404, 'STORAGE_NOT_FOUND'],
      [403, 'STORAGE_RESERVED_KEY'],
      [400, 'STORAGE_INVALID_KEY'],
    ])
  })

  it('documents a busy upload slot and a closed backend', async () => {
    const { svc, send } = setup({ putSlots: 1 })
    const held = heldBody(new Uint8Array([1]))
    const first = svc.handler(request('PUT', 'slow', held.stream))
    expect(await send(request('PUT', 'other', 'x'))).toEqual([503, 'STORAGE_BUSY'])
    held.release()
    expect((await first).status).toBe(201)
    await svc.store.close()
    expect(await send(new Request(objectUrl('slow')))).toEqual([503, 'STORAGE_BACKEND_UNAVAILABLE'])
    expect(await send(list())).toEqual([503, 'STORAGE_BACKEND_UNAVAILABLE'])
  })
})
