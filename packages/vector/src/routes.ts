import { createRouter, type Handler, jsonBodyLimits, jsonResponse, kitErrors, quoteCallerText, readJsonBody } from '@lakehouse/kit'
import type { VectorConfig } from './config.ts'
import { vectorErrors } from './errors.ts'
import { inputChecksFor, type WireSearch } from './input-checks.ts'
import { vectorRouteDocs } from './route-docs.ts'
import type { Filter, ItemInput, Metric, SearchInput } from './types.ts'
import type { VectorDomain } from './vector.ts'

/** Where the gateway mounts vector; routes are registered on full paths because requests arrive untouched. */
export const VECTOR_MOUNT = '/v1/vector'

const INDEXES = `${VECTOR_MOUNT}/indexes`

/** A note in a successful answer about how the request was read (a deprecated member, say); the answer is still complete. */
export interface VectorWarning {
  readonly code: 'deprecated_member'
  readonly field: string
  readonly message: string
}

const FILTER_DEPRECATED: VectorWarning = Object.freeze({
  code: 'deprecated_member',
  field: '$.filter',
  message: '$.filter is deprecated; use $.filters (same meaning)',
})

/**
 * `filters` is the one spelling (as in matrix search); `filter`, the spelling vector shipped
 * with, is still read, with a warning. Both at once would leave the filter ambiguous: 400.
 */
function searchFilters(body: WireSearch): { filter: Filter | undefined; warnings: VectorWarning[] } {
  if (body.filter == null) return { filter: body.filters ?? undefined, warnings: [] }
  if (body.filters != null) {
    const message = '$.filter is the deprecated spelling of $.filters; send only $.filters'
    throw kitErrors.problem('HTTP_INVALID_REQUEST', {
      detail: `1 problem in the request body; first: ${message}`,
      errors: [{ kind: 'schema', field: '$.filter', reason: 'conflicting_alternatives', message }],
    })
  }
  return { filter: body.filter, warnings: [FILTER_DEPRECATED] }
}

const noContent = () => new Response(null, { status: 204 })

export function createVectorHandler(indexes: VectorDomain, config: Readonly<VectorConfig>): Handler {
  const limits = jsonBodyLimits(config)
  // Compiled here, at service creation: the item id length, k and exclude_ids ceilings are configuration.
  const checks = inputChecksFor(config)
  const docs = vectorRouteDocs(checks, config)

  return (
    createRouter()
      .post(INDEXES, docs.create, async ({ req }) => {
        // create() checks the body against CREATE_INDEX_REQUEST_SCHEMA first, for in-process callers too.
        const body = await readJsonBody(req, limits)
        const { status, info } = await indexes.create(body as { name: string; dim: number; metric: Metric; model?: string })
        return jsonResponse(info, status === 'created' ? 201 : 200)
      })
      .get(INDEXES, docs.list, () => jsonResponse({ indexes: indexes.list() }))
      .get(`${INDEXES}/:name`, docs.describe, ({ param }) => jsonResponse(indexes.describe(param('name'))))
      // setSource() checks the body against SET_SOURCE_REQUEST_SCHEMA.
      .put(`${INDEXES}/:name/source`, docs.setSource, async ({ req, param }) =>
        jsonResponse(await indexes.setSource(param('name'), await readJsonBody(req, limits))),
      )
      .delete(`${INDEXES}/:name`, docs.drop, async ({ param }) => {
        const name = param('name')
        if (await indexes.drop(name)) return noContent()
        throw vectorErrors.problem('VECTOR_INDEX_NOT_FOUND', { detail: `no vector index named ${name}` })
      })
      .post(`${INDEXES}/:name/items`, docs.addItems, async ({ req, param }) => {
        const name = param('name')
        const { items } = checks.addItems(await readJsonBody(req, limits))
        const { added, replaced } = await indexes.add(name, items as ItemInput[])
        return jsonResponse({ added, replaced, size: indexes.info(name)?.size ?? 0 })
      })
      .delete(`${INDEXES}/:name/items/:id`, docs.deleteItem, async ({ param }) => {
        const name = param('name')
        const id = param('id')
        if (await indexes.deleteItem(name, id)) return noContent()
        throw vectorErrors.problem('VECTOR_ITEM_NOT_FOUND', { detail: `index ${name} holds no item ${quoteCallerText(id)}` })
      })
      .post(`${INDEXES}/:name/search`, docs.search, async ({ req, param }) => {
        const body = checks.search(await readJsonBody(req, limits))
        const { filter, warnings } = searchFilters(body)
        const input: SearchInput = {
          k: body.k,
          ...(body.vector != null && { vector: body.vector }),
          ...(body.text != null && { text: body.text }),
          ...(body.exclude_ids != null && { excludeIds: body.exclude_ids }),
          ...(filter !== undefined && { filter }),
        }
        const hits = await indexes.search(param('name'), input)
        return jsonResponse(warnings.length === 0 ? { hits } : { hits, warnings })
      })
      .build()
  )
}
