import { createRouter, type Handler, type JsonBodyLimits, jsonResponse, type ProblemEntry, readJsonBody } from '@lakehouse/kit'
import type { VectorConfig } from './config.ts'
import { vectorErrors } from './errors.ts'
import { inputProblem } from './input-checks.ts'
import type { ItemInput, Metric, SearchInput } from './types.ts'
import type { VectorDomain } from './vector.ts'

/** Where the gateway mounts vector; routes are registered on full paths because requests arrive untouched. */
export const VECTOR_MOUNT = '/v1/vector'

const INDEXES = `${VECTOR_MOUNT}/indexes`

/** The body as an object whose members are all among `allowed`, else a 400 naming each stray member. */
function bodyObject(body: unknown, allowed: readonly string[], what: string): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw inputProblem([{ kind: 'schema', field: '$', reason: 'type', message: 'the body must be a JSON object' }], what)
  }
  const stray: ProblemEntry[] = Object.keys(body)
    .filter((k) => !allowed.includes(k))
    .map((k) => ({ kind: 'schema', field: `$.${k}`, reason: 'unknown_field', message: `$.${k} is not a member of this request` }))
  if (stray.length > 0) throw inputProblem(stray, what)
  return body as Record<string, unknown>
}

const noContent = () => new Response(null, { status: 204 })

export function createVectorHandler(indexes: VectorDomain, config: Readonly<VectorConfig>): Handler {
  const limits: JsonBodyLimits = { maxBytes: config.maxBodyBytes, maxDepth: config.maxJsonDepth }
  const read = async (req: Request, allowed: readonly string[], what: string) => bodyObject(await readJsonBody(req, limits), allowed, what)

  return createRouter()
    .post(INDEXES, async ({ req }) => {
      const body = await read(req, ['name', 'dim', 'metric', 'model'], 'invalid index spec')
      const { status, info } = await indexes.create(body as { name: string; dim: number; metric: Metric; model?: string })
      return jsonResponse(info, status === 'created' ? 201 : 200)
    })
    .get(INDEXES, () => jsonResponse({ indexes: indexes.list() }))
    .get(`${INDEXES}/:name`, ({ param }) => jsonResponse(indexes.describe(param('name'))))
    .put(`${INDEXES}/:name/source`, async ({ req, param }) =>
      jsonResponse(await indexes.setSource(param('name'), await readJsonBody(req, limits))),
    )
    .delete(`${INDEXES}/:name`, async ({ param }) => {
      const name = param('name')
      if (await indexes.drop(name)) return noContent()
      throw vectorErrors.problem('VECTOR_INDEX_NOT_FOUND', { detail: `no vector index named ${name}` })
    })
    .post(`${INDEXES}/:name/items`, async ({ req, param }) => {
      const name = param('name')
      const body = await read(req, ['items'], 'invalid add')
      const { added, replaced } = await indexes.add(name, body.items as ItemInput[])
      return jsonResponse({ added, replaced, size: indexes.info(name)?.size ?? 0 })
    })
    .delete(`${INDEXES}/:name/items/:id`, async ({ param }) => {
      const name = param('name')
      const id = param('id')
      if (await indexes.deleteItem(name, id)) return noContent()
      throw vectorErrors.problem('VECTOR_ITEM_NOT_FOUND', { detail: `index ${name} holds no item ${JSON.stringify(id)}` })
    })
    .post(`${INDEXES}/:name/search`, async ({ req, param }) => {
      const body = await read(req, ['vector', 'text', 'k', 'exclude_ids', 'filter'], 'invalid search')
      const input = { vector: body.vector, text: body.text, k: body.k, excludeIds: body.exclude_ids, filter: body.filter }
      return jsonResponse({ hits: await indexes.search(param('name'), input as SearchInput) })
    })
    .build()
}
