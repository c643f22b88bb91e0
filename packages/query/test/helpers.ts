import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import type { Catalog, CatalogEvent, DatasetManifest, RegisterInput, RegisterResult } from '@lakehouse/catalog'
import { jsonRequest } from '@lakehouse/kit/testing'
import { createFsObjectStore, type ObjectStore } from '@lakehouse/storage'
import { expect } from 'vitest'
import { createQueryService, type QueryConfig, type QueryService } from '../src/index.ts'

/** A catalog with the shared contract's behaviour and none of its persistence. */
export interface FakeCatalog extends Catalog {
  /** Registers without validation, for manifests a real catalog would refuse (bad object keys). */
  put(input: RegisterInput): DatasetManifest
}

export function fakeCatalog(): FakeCatalog {
  const manifests = new Map<string, DatasetManifest>()
  const listeners = new Set<(e: CatalogEvent) => void>()
  const now = '2024-01-01T00:00:00Z'
  const put = (input: RegisterInput): DatasetManifest => {
    const { content_hash, ...members } = input
    const manifest: DatasetManifest = {
      dataset_id: `id-${input.name}`,
      created_at: manifests.get(input.name)?.created_at ?? now,
      updated_at: now,
      ...members,
      version: (manifests.get(input.name)?.version ?? 0) + 1,
      content_hash: content_hash ?? null,
    }
    manifests.set(input.name, manifest)
    for (const l of listeners) l({ type: 'registered', manifest })
    return manifest
  }
  return {
    put,
    async register(input): Promise<RegisterResult> {
      const existing = manifests.get(input.name)
      if (existing?.fingerprint === input.fingerprint) return { status: 'existing', manifest: existing }
      return { status: 'created', manifest: put(input) }
    },
    get: (name) => manifests.get(name),
    list: () => [...manifests.values()].sort((a, b) => (a.name < b.name ? -1 : 1)),
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    // Versions and restores are the catalog's own; the query service only reads the live manifests.
    versions: () => undefined,
    restore: () => Promise.reject(new Error('not used by the query service')),
    staleIndexes: () => [],
    beginWrite: () => () => undefined,
  }
}

export interface Sandbox {
  readonly root: string
  /** Root of a real fs object store; `datasets/` under it is the only allowed directory. */
  readonly objects: string
  readonly datasets: string
  /** Outside the allowed directory, like the real data directory's key file. */
  readonly secretKey: string
  readonly catalog: FakeCatalog
  /** A real fs object store on `objects`: the query service hands DuckDB the paths its `localPath` names. */
  readonly store: ObjectStore
  /** Writes `select` as Parquet at `objects/<key>` with an unrestricted DuckDB (a file in the store, as an fs put leaves it). */
  writeParquet(key: string, select: string): Promise<void>
  /** Writes the Parquet object and registers it as dataset `name`. */
  addDataset(name: string, select: string, fingerprint?: string): Promise<DatasetManifest>
  service(config?: Partial<QueryConfig>): Promise<QueryService>
  cleanup(): Promise<void>
}

export async function sandbox(): Promise<Sandbox> {
  const root = mkdtempSync(join(tmpdir(), 'lakehouse-query-'))
  const objects = join(root, 'objects')
  const datasets = join(objects, 'datasets')
  mkdirSync(datasets, { recursive: true })
  mkdirSync(join(root, 'keys'))
  const secretKey = join(root, 'keys', 'secret.key')
  writeFileSync(secretKey, 'TOP-SECRET-KEY-MATERIAL\n', { mode: 0o600 })
  const writer = await DuckDBInstance.create(':memory:')
  const conn = await writer.connect()
  const catalog = fakeCatalog()
  const store = createFsObjectStore({ root: objects })
  const services: QueryService[] = []
  const writeParquet = async (key: string, select: string) => {
    const path = join(objects, key)
    mkdirSync(dirname(path), { recursive: true })
    await conn.run(`COPY (${select}) TO '${path.replaceAll("'", "''")}' (FORMAT parquet)`)
  }
  return {
    root,
    objects,
    datasets,
    secretKey,
    catalog,
    store,
    writeParquet,
    async addDataset(name, select, fingerprint = 'f0') {
      const key = `datasets/${name}/${fingerprint}.parquet`
      await writeParquet(key, select)
      return catalog.put({ name, fingerprint, schema: [], object_key: key, row_count: 0 })
    },
    async service(config) {
      const svc = await createQueryService(config, { catalog, store, allowedDirectories: [datasets] })
      services.push(svc)
      return svc
    },
    async cleanup() {
      for (const s of services) await s.close()
      await store.close()
      conn.closeSync()
      writer.closeSync()
      rmSync(root, { recursive: true, force: true })
    },
  }
}

// biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected freely
export type Json = any

export interface Reply {
  readonly status: number
  readonly headers: Headers
  /** The exact response bytes, as text. */
  readonly text: string
  readonly body: Json
}

/** POSTs `{sql, limit?}` (or any raw body) to the handler and checks the content type of the answer. */
export async function sql(svc: QueryService, body: unknown): Promise<Reply> {
  const res = await svc.handler(jsonRequest('POST', '/v1/query/sql', typeof body === 'string' ? { sql: body } : body))
  const text = await res.text()
  const parsed = text === '' ? undefined : JSON.parse(text)
  expect(res.headers.get('content-type')).toBe(res.status >= 400 ? 'application/problem+json' : 'application/json')
  return { status: res.status, headers: res.headers, text, body: parsed }
}

/** The rows of a successful query; fails the test with the problem otherwise. */
export async function rows(svc: QueryService, query: string, limit?: number): Promise<Json[][]> {
  const r = await sql(svc, limit === undefined ? { sql: query } : { sql: query, limit })
  expect(r.status, r.text).toBe(200)
  return r.body.rows
}

export async function expectProblem(svc: QueryService, body: unknown, status: number, code: string): Promise<Reply> {
  const r = await sql(svc, body)
  expect([r.status, r.body?.code], r.text).toEqual([status, code])
  return r
}
