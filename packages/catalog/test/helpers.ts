import { jsonRequest } from '@lakehouse/kit/testing'
import type { ObjectStore } from '@lakehouse/storage'
import { type CatalogConfig, type CatalogService, type ColumnSpec, createCatalogService, fingerprintSchema } from '../src/index.ts'

export const FIXED_NOW = new Date('2025-01-02T03:04:05.678Z')

export function service(store: ObjectStore, config: Partial<CatalogConfig> = {}): Promise<CatalogService> {
  return createCatalogService(config, { store, now: () => FIXED_NOW })
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
