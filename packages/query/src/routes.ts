import { createRouter, type Handler, JSON_CONTENT_TYPE, jsonBodyLimits, readJsonBody } from '@lakehouse/kit'
import type { QueryConfig } from './config.ts'
import type { QueryRunner } from './query.ts'
import { parseQueryRequest } from './request-body.ts'
import { resultBody } from './result-reader.ts'
import { RUN_SQL_DOC } from './route-docs.ts'

/** Where the gateway mounts the query service; routes are registered on full paths because requests arrive untouched. */
export const QUERY_MOUNT = '/v1/query'

export function createQueryHandler(runner: QueryRunner, config: Readonly<QueryConfig>): Handler {
  const limits = jsonBodyLimits(config)
  return createRouter()
    .post(`${QUERY_MOUNT}/sql`, RUN_SQL_DOC, async ({ req }) => {
      const { sql, limit } = parseQueryRequest(await readJsonBody(req, limits), config.defaultLimit, config.maxRows)
      const read = await runner.run(sql, { limit, values: false })
      // The rows arrive as JSON text already (byte-capped); the body is assembled, not re-encoded.
      return new Response(resultBody(read), { headers: { 'content-type': JSON_CONTENT_TYPE } })
    })
    .build()
}
