import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type Runtime, runApp, startServer } from './servers.ts'

/**
 * Issue 13, data safety, end to end on each runtime: a same-schema re-ingest of other rows is a
 * new version (`replaced`, rows before → after) that never overwrites the live object; versions
 * are listed and restorable; identical content is `existing`; an index built from a version that
 * is no longer live is reported stale; a second server on the same data directory exits 2
 * naming the first one's pid.
 */
const RUNTIMES: readonly Runtime[] = ['node', 'bun']
const work = mkdtempSync(join(tmpdir(), 'lakehouse-data-safety-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

type Json = Record<string, unknown> & { [k: string]: Json | Json[] | string | number | boolean | null }

async function call(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    ...(body === undefined
      ? {}
      : {
          headers: { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json' },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
  })
  const text = await res.text()
  return { status: res.status, type: res.headers.get('content-type'), json: (text === '' ? {} : JSON.parse(text)) as Json }
}

const workers = (n: number, offset = 0) =>
  `worker_id,name,city\n${Array.from({ length: n }, (_, i) => `W-${String(i + offset).padStart(5, '0')},Worker ${i + offset},Dayton`).join('\n')}\n`

const count = async (url: string) => {
  const r = await call(url, 'POST', '/v1/query/sql', { sql: 'SELECT count(*) AS n FROM workers' })
  expect(r.status).toBe(200)
  return Number((r.json.rows as unknown as number[][])[0]?.[0])
}

describe.each(RUNTIMES)('%s data safety', (runtime) => {
  it('replaces, lists, restores, keeps identical content existing and reports stale indexes', async () => {
    const dataDir = join(work, runtime)
    const server = await startServer(runtime, { dataDir })
    try {
      const { url } = server
      const first = await call(url, 'POST', '/v1/ingest/workers', workers(20))
      expect([first.status, first.json.status, first.json.version, first.json.row_count]).toEqual([201, 'created', 1, 20])

      // An index built from version 1 (what `lakehouse corpus index` records).
      expect((await call(url, 'POST', '/v1/vector/indexes', { name: 'workers', dim: 384, metric: 'cos' })).status).toBe(201)
      const sourced = await call(url, 'PUT', '/v1/vector/indexes/workers/source', { dataset: 'workers', version: 1 })
      expect(sourced.json.source).toEqual({ dataset: 'workers', version: 1 })

      const second = await call(url, 'POST', '/v1/ingest/workers', workers(5, 1000))
      expect([second.status, second.json.status, second.json.row_count, second.json.version]).toEqual([200, 'replaced', 5, 2])
      expect((second.json.previous as Json).row_count).toBe(20)
      expect(second.json.content_hash).toMatch(/^[0-9a-f]{64}$/)
      expect(second.json.content_hash).not.toBe(first.json.content_hash)
      expect(second.json.stale_indexes).toEqual([{ index: 'workers', version: 1 }])
      expect(await count(url)).toBe(5)

      const view = await call(url, 'GET', '/v1/catalog/datasets/workers')
      expect([view.json.version, view.json.stale_indexes]).toEqual([2, [{ index: 'workers', version: 1 }]])
      const versions = await call(url, 'GET', '/v1/catalog/datasets/workers/versions')
      expect(versions.status).toBe(200)
      const listed = versions.json.versions as unknown as { version: number; row_count: number; live: boolean }[]
      expect(listed.map((v) => [v.version, v.row_count, v.live])).toEqual([
        [2, 5, true],
        [1, 20, false],
      ])

      const restored = await call(url, 'POST', '/v1/catalog/datasets/workers/versions/1/restore')
      expect([restored.status, restored.json.status, restored.json.version, restored.json.row_count]).toEqual([200, 'restored', 1, 20])
      expect(restored.json.stale_indexes).toEqual([])
      expect(await count(url)).toBe(20)

      const identical = await call(url, 'POST', '/v1/ingest/workers', workers(20))
      expect([identical.status, identical.json.status, identical.json.version]).toEqual([200, 'existing', 1])

      for (const [path, status, code] of [
        ['/v1/catalog/datasets/workers/versions/7/restore', 404, 'CATALOG_VERSION_NOT_FOUND'],
        ['/v1/catalog/datasets/workers/versions/x/restore', 400, 'CATALOG_INVALID_VERSION'],
      ] as const) {
        const r = await call(url, 'POST', path)
        expect([r.status, r.json.code, r.type]).toEqual([status, code, 'application/problem+json'])
      }

      // One data directory, one server: the second one (either runtime) refuses at boot.
      const holder = Number(readFileSync(join(dataDir, 'server.lock'), 'utf8').trim())
      expect(() => process.kill(holder, 0)).not.toThrow()
      for (const other of RUNTIMES) {
        const second = await runApp(other, ['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir])
        expect(second.exit.code, second.stderr).toBe(2)
        expect(second.stderr).toContain('PROVISION_DATA_DIR_IN_USE')
        expect(second.stderr).toContain(`pid ${holder}`)
      }
      expect(await count(url)).toBe(20)
    } finally {
      await server.stop()
    }

    // History survives a restart (manifests are rehydrated), and the lock died with the server.
    const again = await startServer(runtime, { dataDir })
    try {
      const versions = await call(again.url, 'GET', '/v1/catalog/datasets/workers/versions')
      expect([versions.json.live_version, (versions.json.versions as unknown as unknown[]).length]).toEqual([1, 2])
      expect(await count(again.url)).toBe(20)
    } finally {
      await again.stop()
    }
  }, 120_000)

  it('frees the data directory when the server is killed with SIGKILL', async () => {
    const dataDir = join(work, `${runtime}-killed`)
    const first = await startServer(runtime, { dataDir })
    first.proc.kill('SIGKILL')
    await first.exited
    const restarted = await startServer(runtime, { dataDir })
    try {
      expect((await call(restarted.url, 'GET', '/health')).status).toBe(200)
    } finally {
      await restarted.stop()
    }
  }, 60_000)
})
