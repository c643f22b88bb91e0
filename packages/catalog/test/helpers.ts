import { jsonRequest } from '@lakehouse/kit/testing'
import type { ObjectStore } from '@lakehouse/storage'
import {
  type CatalogConfig,
  type CatalogService,
  type ColumnSpec,
  createCatalogService,
  fingerprintSchema,
  type InspectObject,
  type ObjectInspection,
} from '../src/index.ts'

export const FIXED_NOW = new Date('2025-01-02T03:04:05.678Z')

/**
 * The catalog's object check without DuckDB: an object whose bytes are the JSON `{schema,
 * row_count}` that `putObject` writes is "Parquet" with that metadata; any other bytes are
 * unreadable; no object is missing. `inspected` records every key asked about.
 */
export function fakeInspector(store: ObjectStore): InspectObject & { inspected: string[] } {
  const inspected: string[] = []
  const inspect = async (key: string): Promise<ObjectInspection> => {
    inspected.push(key)
    const object = await store.get(key)
    if (object === undefined) return { status: 'missing' }
    try {
      const { schema, row_count } = JSON.parse(await new Response(object.body).text())
      if (!Array.isArray(schema) || typeof row_count !== 'number') throw new Error('not a fake Parquet object')
      return { status: 'parquet', schema, row_count }
    } catch (err) {
      return { status: 'unreadable', reason: `/srv/secret/objects/${key}: ${String(err)}` }
    }
  }
  return Object.assign(inspect, { inspected })
}

/** What ingest does before it registers: an object at the manifest's key, holding that schema and row count. */
export async function putObject(
  store: ObjectStore,
  body: { object_key: string; schema: readonly ColumnSpec[]; row_count: number },
): Promise<void> {
  await store.put(body.object_key, new TextEncoder().encode(JSON.stringify({ schema: body.schema, row_count: body.row_count })))
}

export function service(
  store: ObjectStore,
  config: Partial<CatalogConfig> = {},
  inspectObject = fakeInspector(store),
): Promise<CatalogService> {
  return createCatalogService(config, { store, now: () => FIXED_NOW, inspectObject })
}

export const PEOPLE: readonly ColumnSpec[] = [
  { name: 'id', type: 'BIGINT' },
  { name: 'name', type: 'VARCHAR' },
]
export const PEOPLE_V2: readonly ColumnSpec[] = [...PEOPLE, { name: 'city', type: 'VARCHAR' }]

/** A register body for `name` whose fingerprint really is the schema's fingerprint. */
export function registration(name: string, schema: readonly ColumnSpec[] = PEOPLE, rowCount = 3) {
  const fingerprint = fingerprintSchema(schema)
  return {
    name,
    fingerprint,
    schema: schema.map((c) => ({ ...c })),
    object_key: `datasets/${name}/${fingerprint}.parquet`,
    row_count: rowCount,
  }
}

// biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected freely
export type Json = any

export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly body: Json
}

export async function send(svc: CatalogService, req: Request): Promise<Reply> {
  const res = await svc.handler(req)
  const text = await res.text()
  return { status: res.status, headers: res.headers, text, body: text === '' ? undefined : JSON.parse(text) }
}

export const post = (svc: CatalogService, body: unknown) => send(svc, jsonRequest('POST', '/v1/catalog/datasets', body))
export const get = (svc: CatalogService, path: string) => send(svc, jsonRequest('GET', path))

/** Rejection of a promise as a value, so tests can inspect coded Problems. */
export async function rejectionOf(p: Promise<unknown>): Promise<Json> {
  try {
    await p
  } catch (err) {
    return err
  }
  throw new Error('expected a rejection')
}
