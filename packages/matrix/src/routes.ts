import { createRouter, type Handler, JSON_CONTENT_TYPE, jsonBodyLimits, jsonResponse, readJsonBody } from '@lakehouse/kit'
import type { MatrixConfig } from './config.ts'
import { bodyChecksFor } from './input-check.ts'
import type { Matrix } from './matrix.ts'
import { parseRecordBody } from './record-request.ts'
import { CACHE_HEADER, matrixRouteDocs } from './route-docs.ts'

/** Where the gateway mounts the matrix; routes are registered on full paths because requests arrive untouched. */
export const MATRIX_MOUNT = '/v1/matrix'

export { CACHE_HEADER }

export function createMatrixHandler(matrix: Matrix, config: Readonly<MatrixConfig>): Handler {
  const limits = jsonBodyLimits(config)
  // The body schemas carry configured ceilings: compiled now, at service creation, not on the first request.
  const docs = matrixRouteDocs(bodyChecksFor(config))
  return (
    createRouter()
      // Both bodies are checked against their schemas first (search-request.ts, record-request.ts).
      .post(`${MATRIX_MOUNT}/search`, docs.search, async ({ req }) => {
        const { answer, cache } = await matrix.search(await readJsonBody(req, limits))
        // The cached text itself, not a re-encoding: a hit is byte-identical to the miss that filled it.
        return new Response(answer.text, { status: 200, headers: { 'content-type': JSON_CONTENT_TYPE, [CACHE_HEADER]: cache } })
      })
      .post(`${MATRIX_MOUNT}/playbooks/record`, docs.record, async ({ req }) =>
        jsonResponse(await matrix.record(parseRecordBody(await readJsonBody(req, limits), config)), 201),
      )
      .build()
  )
}
