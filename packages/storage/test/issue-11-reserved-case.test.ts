import { afterEach, describe, expect, it } from 'vitest'
import type { StorageService } from '../src/index.ts'
import { encoder } from './helpers.ts'
import { encodeKey, fsService, getKey, putKey, request, send } from './http-helpers.ts'

const open: StorageService[] = []
function service(): StorageService {
  const svc = fsService()
  open.push(svc)
  return svc
}
afterEach(async () => {
  await Promise.all(
    open.splice(0).map(async (s) => {
      await s.close()
      await s.store.close()
    }),
  )
})

// On a case-insensitive file system (APFS, NTFS) these keys land in the read-only areas.
const VARIANTS: readonly (readonly [string, string])[] = [
  ['Datasets/x', 'datasets/'],
  ['DATASETS/x', 'datasets/'],
  ['dataSets/w/f0.parquet', 'datasets/'],
  ['_System/x', '_system/'],
  ['_SYSTEM/catalog/x', '_system/'],
  ['_sYsTeM/x.json', '_system/'],
  // U+017F LATIN SMALL LETTER LONG S upper-cases to S; fullwidth letters are NFKC-equal to ASCII.
  ['dataſets/x', 'datasets/'],
  ['_ſystem/x', '_system/'],
  ['ＤＡＴＡＳＥＴＳ/x', 'datasets/'],
]

describe('issue 11: leaks', () => {
  it.each(VARIANTS)('refuses PUT and DELETE of %s as a reserved key', async (key, prefix) => {
    const svc = service()
    const put = await putKey(svc, key, 'x')
    expect([put.status, put.body.code, put.body.reserved_prefix]).toEqual([403, 'STORAGE_RESERVED_KEY', prefix])
    const del = await send(svc, request('DELETE', encodeKey(key)))
    expect([del.status, del.body.code, del.body.reserved_prefix]).toEqual([403, 'STORAGE_RESERVED_KEY', prefix])
    // Nothing was written under any spelling.
    expect((await getKey(svc, key)).status).toBe(404)
  })

  it('refuses a case variant even when percent-encoded', async () => {
    const svc = service()
    const put = await send(svc, request('PUT', '%44ATASETS%2Fx', 'x'))
    expect([put.status, put.body.code]).toEqual([403, 'STORAGE_RESERVED_KEY'])
  })

  it('still serves reads of a case variant and still writes look-alikes that are not the prefix', async () => {
    const svc = service()
    await svc.store.put('Datasets/x', encoder.encode('direct'))
    expect((await getKey(svc, 'Datasets/x')).text).toBe('direct')
    for (const key of ['DATASETS', 'DatasetsX/y', '_SYSTEMIC', 'my/Datasets/x', 'data-sets/x']) {
      expect((await putKey(svc, key, 'x')).status, key).toBe(201)
    }
  })
})
