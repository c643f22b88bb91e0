import { describe, expect, it } from 'vitest'
import { call, service, tempDir } from './helpers.ts'

describe('index source (issue 13: which dataset version an index was built from)', () => {
  it('records, answers and persists {dataset, version} without making it part of the spec', async () => {
    const dir = tempDir()
    const svc = await service({}, dir)
    await call(svc, 'POST', '/v1/vector/indexes', { name: 'workers', dim: 4, metric: 'cos' })
    expect((await call(svc, 'GET', '/v1/vector/indexes/workers')).body.source).toBeUndefined()
    const set = await call(svc, 'PUT', '/v1/vector/indexes/workers/source', { dataset: 'workers', version: 3 })
    expect([set.status, set.body.source]).toEqual([200, { dataset: 'workers', version: 3 }])
    // The same spec is still the same index.
    const again = await call(svc, 'POST', '/v1/vector/indexes', { name: 'workers', dim: 4, metric: 'cos' })
    expect([again.status, again.body.source]).toEqual([200, { dataset: 'workers', version: 3 }])
    expect(svc.sources()).toEqual([{ index: 'workers', dataset: 'workers', version: 3 }])
    await svc.close()
    const reopened = await service({}, dir)
    expect(reopened.info('workers')?.source).toEqual({ dataset: 'workers', version: 3 })
    await reopened.close()
  })

  it('answers a bad source with 400 HTTP_INVALID_REQUEST and an unknown index with 404', async () => {
    const svc = await service({}, tempDir())
    await call(svc, 'POST', '/v1/vector/indexes', { name: 'workers', dim: 4, metric: 'cos' })
    for (const [body, field, reason] of [
      [{ dataset: '', version: 1 }, '$.dataset', 'empty'],
      [{ dataset: 'a\nb', version: 1 }, '$.dataset', 'pattern'],
      [{ dataset: 'w', version: 0 }, '$.version', 'too_small'],
      [{ dataset: 'w', version: '1' }, '$.version', 'type'],
      [{ version: 1 }, '$.dataset', 'required'],
      [{ dataset: 'w', version: 1, extra: true }, '$.extra', 'additional_property'],
      [[], '$', 'type'],
    ] as const) {
      const r = await call(svc, 'PUT', '/v1/vector/indexes/workers/source', body)
      expect([r.status, r.body.code]).toEqual([400, 'HTTP_INVALID_REQUEST'])
      expect(r.body.errors).toEqual([expect.objectContaining({ field, reason })])
    }
    const missing = await call(svc, 'PUT', '/v1/vector/indexes/nobody/source', { dataset: 'w', version: 1 })
    expect([missing.status, missing.body.code]).toEqual([404, 'VECTOR_INDEX_NOT_FOUND'])
    await svc.close()
  })
})
