import { GRANT_HEADER } from '@lakehouse/grants'
import { createRouter, type Handler, isProblem, jsonResponse } from '@lakehouse/kit'
import type { IngestConfig } from './config.ts'
import { type IngestErrorCode, ingestErrors } from './errors.ts'
import { checkName, type IngestOptions, type IngestResult } from './ingest.ts'
import { INGEST_CSV_DOC } from './route-docs.ts'
import { removeQuietly, tempPath } from './temp-files.ts'
import { refuseUnread, spoolUpload, tooLargeInit, uploadKind } from './upload.ts'

/** Where the gateway mounts ingest; routes are registered on full paths because requests arrive untouched. */
export const INGEST_MOUNT = '/v1/ingest'

export interface IngestRuntime {
  readonly config: Readonly<IngestConfig>
  readonly tmpDir: string
  /** A slot's release function; throws INGEST_BUSY (503) when none is free or the service is closing. */
  acquire(): () => void
  ingestCsv(name: string, csvPath: string, options?: IngestOptions): Promise<IngestResult>
}

const isIngestCode = (code: string): code is IngestErrorCode => Object.hasOwn(ingestErrors.specs, code)

export function createIngestHandler(runtime: IngestRuntime): Handler {
  const { config, tmpDir } = runtime
  return createRouter()
    .post(`${INGEST_MOUNT}/:name`, INGEST_CSV_DOC, async ({ req, param }) => {
      const name = param('name')
      try {
        // Everything decidable from the request line and headers, before a byte of body is read.
        checkName(name)
        const kind = uploadKind(req.headers.get('content-type'))
        const declared = req.headers.get('content-length')
        if (declared !== null && /^\d+$/.test(declared) && Number(declared) > config.maxBytes) {
          throw ingestErrors.problem('INGEST_TOO_LARGE', tooLargeInit(config.maxBytes))
        }
        const release = runtime.acquire()
        const csvPath = tempPath(tmpDir, 'csv')
        try {
          await spoolUpload(req, kind, csvPath, config.maxBytes)
          const grant = req.headers.get(GRANT_HEADER) ?? undefined
          const result = await runtime.ingestCsv(name, csvPath, grant === undefined ? {} : { grant })
          return jsonResponse(result, result.status === 'created' ? 201 : 200)
        } finally {
          await removeQuietly(csvPath)
          release()
        }
      } catch (err) {
        // Refused before the body was read: drain it (or ask to close) so the client sees the answer.
        if (isProblem(err) && isIngestCode(err.code) && !req.bodyUsed) {
          throw await refuseUnread(req, err.code, {
            detail: err.detail,
            extensions: err.extensions,
            headers: err.headers,
            cause: err.cause,
          })
        }
        throw err
      }
    })
    .build()
}
