import { createLogger } from '@lakehouse/kit'
import { describe, expect, it } from 'vitest'
import { createMatrixService } from '../src/index.ts'
import { createFakeEmbedder } from './fakes.ts'
import { search, setup } from './helpers.ts'
import { createTestIndexes } from './vector-indexes.ts'

describe('createMatrixService', () => {
  it('search() answers the endpoint body, frozen, through the same cache', async () => {
    const { svc, indexes } = await setup()
    const a = await svc.search({ query: 'Welder', k: 3 })
    const b = await svc.search({ query: 'welder', k: 3 })
    expect(b).toBe(a)
    expect(Object.isFrozen(a) && Object.isFrozen(a.results) && Object.isFrozen(a.results[0]?.metadata)).toBe(true)
    expect(indexes.searches).toHaveLength(1)
    const http = await search(svc, { query: 'welder', k: 3 })
    expect([http.headers.get('x-cache'), http.body]).toEqual(['hit', a])
  })

  it('search() throws the same problems the endpoint answers', async () => {
    const { svc } = await setup()
    await expect(svc.search({ query: '' })).rejects.toMatchObject({ code: 'HTTP_INVALID_REQUEST', status: 400 })
    await expect(svc.search({ query: 'q', corpora: ['none'] })).rejects.toMatchObject({ code: 'MATRIX_CORPUS_NOT_FOUND', status: 404 })
  })

  it('refuses work with 503 MATRIX_UNAVAILABLE once closed, after finishing what was running', async () => {
    const { svc } = await setup()
    const running = svc.search({ query: 'line cook', k: 2 })
    await svc.close()
    await expect(running).resolves.toMatchObject({ count: 2 })
    const r = await search(svc, { query: 'line cook' })
    expect([r.status, r.body.code]).toEqual([503, 'MATRIX_UNAVAILABLE'])
    await expect(svc.record({ query: 'q', worker_ids: ['W-1'], outcome: 'success' })).rejects.toMatchObject({ code: 'MATRIX_UNAVAILABLE' })
    await svc.close()
  })

  it('logs its resolved config once at start', async () => {
    const lines: string[] = []
    const logger = createLogger({ sink: (line) => lines.push(line) })
    const embedder = createFakeEmbedder()
    await createMatrixService({ playbookK: 5 }, { indexes: await createTestIndexes(embedder), embedder, logger })
    const records = lines.map((l) => JSON.parse(l))
    expect(records.map((r) => r.msg)).toEqual(['playbook index ready', 'matrix service ready'])
    expect(records[1]).toMatchObject({ component: 'matrix', config: { playbookK: 5 } })
  })

  it('reuses an existing playbook index, records intact', async () => {
    const embedder = createFakeEmbedder()
    const indexes = await createTestIndexes(embedder)
    await indexes.create({ name: 'workers', dim: 256, metric: 'cos' })
    const first = await createMatrixService({}, { indexes, embedder })
    await first.record({ query: 'welder', worker_ids: ['W-1'], outcome: 'success' })
    await first.close()
    const second = await createMatrixService({}, { indexes, embedder })
    expect(indexes.info('playbooks')?.size).toBe(1)
    await second.close()
  })
})
