/**
 * Measures one ingest of a corpus CSV through `ingestFile`: wall time and peak RSS. Reports,
 * does not assert. Node 20 cannot run TypeScript, so bundle first (the DuckDB addon stays
 * external):
 *
 *   cd packages/ingest
 *   ../../node_modules/.bin/bun build bench/ingest-measure.ts --target=node --format=esm \
 *     --external @duckdb/node-api --outfile node_modules/.cache/ingest-measure.mjs
 *   node node_modules/.cache/ingest-measure.mjs 100000 [maxBytesMiB]
 *
 * or run it directly in Bun: `../../node_modules/.bin/bun bench/ingest-measure.ts 100000`.
 * The first argument is a row count (the corpus is generated in this process before the clock
 * starts, so peak RSS includes the generator) or the path of an existing CSV.
 */
import { mkdtemp, open, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCatalogService } from '@lakehouse/catalog'
import { writeWorkersCsv } from '@lakehouse/corpus'
import { createFsObjectStore } from '@lakehouse/storage'
import { createIngestService, type IngestResult } from '../src/index.ts'

/** A request whose body streams the file in 64 KiB chunks (as a form upload or raw text/csv), as a client would send it. */
async function upload(handler: (req: Request) => Promise<Response>, path: string, multipart: boolean): Promise<IngestResult> {
  const boundary = '----measureBoundary'
  const file = await open(path, 'r')
  const head = new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="w.csv"\r\n\r\n`)
  const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`)
  let stage = multipart ? 0 : 1
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stage === 0) {
        stage = 1
        controller.enqueue(head)
        return
      }
      const buf = new Uint8Array(64 * 1024)
      const { bytesRead } = await file.read(buf, 0, buf.length, null)
      if (bytesRead > 0) controller.enqueue(buf.subarray(0, bytesRead))
      else {
        if (multipart) controller.enqueue(tail)
        controller.close()
        await file.close()
      }
    },
  })
  const contentType = multipart ? `multipart/form-data; boundary=${boundary}` : 'text/csv'
  const init = { method: 'POST', headers: { 'content-type': contentType }, body, duplex: 'half' }
  const res = await handler(new Request('http://measure/v1/ingest/workers', init as RequestInit))
  if (res.status >= 300) throw new Error(`upload failed: ${res.status} ${await res.text()}`)
  return (await res.json()) as IngestResult
}

// A number generates a corpus of that many rows in this process; a path ingests that file
// (generate it beforehand to keep the generator out of the peak RSS).
const target = process.argv[2] ?? '100000'
const maxBytes = Number(process.argv[3] ?? 256) * 1024 * 1024
// `file` calls ingestFile; `multipart` and `csv` stream the file through the HTTP handler as a
// form upload or as a text/csv body.
const mode = process.argv[4] === 'multipart' || process.argv[4] === 'csv' ? process.argv[4] : 'file'
const dir = await mkdtemp(join(tmpdir(), 'ingest-measure-'))
const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10
try {
  const generated = /^\d+$/.test(target)
  const csvPath = generated ? join(dir, 'workers.csv') : target
  if (generated) await writeWorkersCsv({ out: csvPath, rows: Number(target), seed: 'measure' })
  const csvBytes = (await stat(csvPath)).size
  const store = createFsObjectStore({ root: join(dir, 'store') })
  // Registers come from ingest only (the system path), which never asks the catalog to inspect an object.
  const catalog = await createCatalogService(undefined, {
    store,
    inspectObject: () => Promise.reject(new Error('this measurement registers through ingest only')),
  })
  const svc = await createIngestService({ maxBytes }, { store, catalog, tmpDir: join(dir, 'tmp') })
  const rssBefore = process.memoryUsage().rss
  const started = performance.now()
  const result = mode === 'file' ? await svc.ingestFile('workers', csvPath) : await upload(svc.handler, csvPath, mode === 'multipart')
  const wallMs = performance.now() - started
  const parquet = await stat(join(dir, 'store', result.object_key))
  await svc.close()
  await catalog.close()
  await store.close()
  console.log(
    JSON.stringify({
      mode,
      runtime: typeof process.versions.bun === 'string' ? `bun ${process.versions.bun}` : `node ${process.versions.node}`,
      rows: result.row_count,
      csv_mib: mib(csvBytes),
      generated_in_process: generated,
      parquet_mib: mib(parquet.size),
      wall_ms: Math.round(wallMs),
      rss_before_ingest_mib: mib(rssBefore),
      // resourceUsage().maxRSS is in KiB.
      peak_rss_mib: mib(process.resourceUsage().maxRSS * 1024),
      // Wide files (issue 12): a tally of the types instead of thousands of columns.
      schema:
        result.schema.length <= 20
          ? result.schema.map((c) => `${c.name}:${c.type}`).join(' ')
          : [...new Set(result.schema.map((c) => c.type))].map((t) => `${t}×${result.schema.filter((c) => c.type === t).length}`).join(' '),
    }),
  )
} finally {
  await rm(dir, { recursive: true, force: true })
}
