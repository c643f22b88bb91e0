import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import type { Catalog } from '@lakehouse/catalog'
import { TEST_ORIGIN } from '@lakehouse/kit/testing'
import type { ObjectStore } from '@lakehouse/storage'
import { expect } from 'vitest'
import { createIngestService, type IngestConfig, type IngestService, type ReplaceAuthority } from '../src/index.ts'
import { createFakeCatalog, createMemoryStore, type MemoryStore } from './fakes.ts'

export interface Harness {
  readonly svc: IngestService
  readonly store: MemoryStore
  readonly catalog: ReturnType<typeof createFakeCatalog>
  readonly tmpDir: string
  /** Files left in tmpDir other than DuckDB's spill directory (should always be none). */
  leftovers(): Promise<string[]>
  close(): Promise<void>
}

export async function harness(
  config: Partial<IngestConfig> = {},
  deps: { store?: ObjectStore; catalog?: Catalog; grants?: ReplaceAuthority } = {},
): Promise<Harness> {
  const tmpDir = await mkdtemp(join(tmpdir(), 'ingest-test-'))
  const store = createMemoryStore()
  const catalog = createFakeCatalog()
  const svc = await createIngestService(config, {
    store: deps.store ?? store,
    catalog: deps.catalog ?? catalog,
    tmpDir,
    ...(deps.grants === undefined ? {} : { grants: deps.grants }),
  })
  return {
    svc,
    store,
    catalog,
    tmpDir,
    leftovers: async () => (await readdir(tmpDir)).filter((f) => !f.startsWith('duckdb-spill-')),
    async close() {
      await svc.close()
      await rm(tmpDir, { recursive: true, force: true })
    },
  }
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected freely in tests
export type Json = any

export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly body: Json
}

export async function send(svc: IngestService, req: Request): Promise<Reply> {
  const res = await svc.handler(req)
  const text = await res.text()
  const body = text === '' ? undefined : JSON.parse(text)
  if (res.status >= 400) {
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    // Problem details never leak a server path (tmpDir, DuckDB's file = … line).
    expect(text).not.toMatch(/\/tmp\/|ingest-test-|\.csv'|file = /)
  } else expect(res.headers.get('content-type')).toBe('application/json')
  return { status: res.status, headers: res.headers, body }
}

/** A body delivered in chunks of `size` bytes, with no Content-Length. */
export function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let offset = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close()
        return
      }
      controller.enqueue(bytes.slice(offset, offset + size))
      offset += size
    },
  })
}

export function csvRequest(name: string, csv: string | Uint8Array, headers: Record<string, string> = {}): Request {
  return new Request(`${TEST_ORIGIN}/v1/ingest/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', ...headers },
    body: typeof csv === 'string' ? csv : new Blob([csv.slice()]),
  })
}

/** A streamed body (no Content-Length), as a client with chunked transfer encoding sends it. */
export function streamedRequest(name: string, bytes: Uint8Array, contentType: string, chunkSize = 64 * 1024): Request {
  return new Request(`${TEST_ORIGIN}/v1/ingest/${name}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: chunked(bytes, chunkSize),
    duplex: 'half',
  } as RequestInit)
}

export function multipartRequest(name: string, csv: string, field = 'file'): Request {
  const form = new FormData()
  form.append('note', 'ignored field before the file')
  form.append(field, new Blob([csv], { type: 'text/csv' }), 'data.csv')
  form.append('after', 'ignored field after the file')
  return new Request(`${TEST_ORIGIN}/v1/ingest/${name}`, { method: 'POST', body: form })
}

const encoder = new TextEncoder()

/** A hand-built multipart body, so tests control boundaries, preambles and chunking. */
export function multipartBytes(
  boundary: string,
  parts: readonly { name: string; filename?: string; content: string }[],
  preamble = '',
): Uint8Array {
  let text = preamble
  for (const p of parts) {
    const filename = p.filename === undefined ? '' : `; filename="${p.filename}"`
    text += `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${filename}\r\nContent-Type: text/csv\r\n\r\n${p.content}\r\n`
  }
  return encoder.encode(`${text}--${boundary}--\r\n`)
}

/** Runs SQL against Parquet bytes (written to a temp file as `t`) and returns rows as JSON values. */
export async function queryParquet(bytes: Uint8Array, sql: string): Promise<Json[][]> {
  const dir = await mkdtemp(join(tmpdir(), 'ingest-parquet-'))
  const path = join(dir, 'object.parquet')
  await writeFile(path, bytes)
  const db = await DuckDBInstance.create(':memory:')
  const conn = await db.connect()
  try {
    await conn.run(`CREATE VIEW t AS SELECT * FROM read_parquet('${path}')`)
    const reader = await conn.runAndReadAll(sql)
    return reader.getRowsJson() as Json[][]
  } finally {
    conn.closeSync()
    db.closeSync()
    await rm(dir, { recursive: true, force: true })
  }
}

/** The Parquet object of a dataset as stored by the last ingest. */
export function objectBytes(h: Harness, key: string): Uint8Array {
  const bytes = h.store.bytes(key)
  if (bytes === undefined) throw new Error(`no object ${key}`)
  return bytes
}
