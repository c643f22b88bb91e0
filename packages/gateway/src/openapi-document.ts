import {
  buildOpenApi,
  type DescribedRoute,
  encodeJson,
  type Handler,
  JSON_CONTENT_TYPE,
  kitErrors,
  LAKEHOUSE_VERSION,
  type OpenApiDocument,
  type OpenApiSource,
  problemAnswerDoc,
  routesOf,
} from '@lakehouse/kit'
import { gatewayErrors } from './access/access-errors.ts'
import type { Mounted } from './compose.ts'
import { ERROR_REGISTRIES } from './errors.ts'
import { GATEWAY_ROUTES, OPENAPI_PATH } from './gateway-routes.ts'
import type { ComponentName } from './split/split-config.ts'
import { splitErrors } from './split/split-errors.ts'

const DESCRIPTION =
  'Lakehouse: ingest CSV to Parquet, catalog, SQL, embeddings, vector search, validators, pathway memory, observer workflows, playbooks and drafting, served the same by Node.js and Bun. Every failure is application/problem+json with a stable `code` (docs/errors.md).'

/** One line per component for the document's tags; the contract of each is docs/<component>.md. */
const TAG_DESCRIPTIONS: Readonly<Record<ComponentName, string>> = {
  storage: 'Objects by key on the filesystem or S3 (docs/storage.md).',
  catalog: 'Dataset manifests, versions and restores (docs/catalog.md).',
  query: 'Read-only SQL over the datasets (docs/query.md).',
  grants: 'One-shot escape grants (docs/grants.md).',
  ingest: 'CSV to Parquet, registered in the catalog (docs/ingest.md).',
  validator: 'Staffing payload validation (docs/validator.md).',
  embed: 'Text embeddings (docs/embed.md).',
  vector: 'Vector indexes and search (docs/vector.md).',
  matrix: 'Worker search over datasets and indexes, playbooks (docs/matrix.md).',
  draft: 'Chat and outreach drafts (docs/draft.md).',
  memory: 'Pathway memory traces (docs/memory.md).',
  observer: 'Events, workflows and their runs (docs/observer.md).',
}

/** Codes any route may answer: the gateway's access policy, what the HTTP layer refuses, the catch-all. */
const COMMON_ERRORS: readonly string[] = [
  ...Object.keys(gatewayErrors.specs),
  ...['HTTP_BAD_REQUEST', 'HTTP_HEADERS_TOO_LARGE', 'HTTP_METHOD_NOT_ALLOWED', 'HTTP_REQUEST_TIMEOUT', 'INTERNAL'],
]
/** A route that reads a body may also end it for trickling. */
const BODY_ERRORS: readonly string[] = ['HTTP_BODY_TOO_SLOW', 'HTTP_BODY_TOO_LARGE']
/** What a forwarder adds to a component served by another process. */
const UPSTREAM_ERRORS: readonly string[] = ['GATEWAY_UPSTREAM_UNAVAILABLE', 'GATEWAY_UPSTREAM_TIMEOUT']

/** The operations of a document whose paths sit under `mount`, as a source to build from again. */
function routesUnder(doc: OpenApiDocument, mount: string): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(doc.paths).filter(([path]) => path === mount || path.startsWith(`${mount}/`)))
}

/**
 * Serves `GET /openapi.json`. The local part is built once, from the routes the components
 * registered (kit's router keeps each route's doc, body check included). A component served by
 * another process (split mode) is described by that process: its document is fetched through the
 * same forwarder as its traffic and its paths merged in, with the forwarder's own failure codes;
 * an upstream that cannot answer makes this answer the forwarder's 502/504, never a silently
 * shorter document.
 */
export function createOpenApiHandler(mounted: readonly Mounted[]): Handler {
  const sources: OpenApiSource[] = [{ tag: 'gateway', description: 'Served by the gateway itself.', routes: GATEWAY_ROUTES }]
  const seen = new Set<Handler>()
  const upstreams: Mounted[] = []
  for (const m of mounted) {
    if (m.upstream === true) {
      upstreams.push(m)
      continue
    }
    if (seen.has(m.handler)) continue // draft is mounted twice (/v1/draft, /v1/chat) with one router
    seen.add(m.handler)
    const routes: readonly DescribedRoute[] | undefined = routesOf(m.handler)
    if (routes === undefined) throw new TypeError(`component ${m.name} was not built with kit's router, so its routes are not described`)
    sources.push({ tag: m.name, description: TAG_DESCRIPTIONS[m.name], routes })
  }
  const local = buildOpenApi({
    title: 'Lakehouse',
    version: LAKEHOUSE_VERSION,
    description: DESCRIPTION,
    sources,
    registries: [...ERROR_REGISTRIES],
    commonErrors: COMMON_ERRORS,
    bodyErrors: BODY_ERRORS,
  })
  // Encoded once (≈ 220 KB): every request for it sends the same text.
  let encoded: string | undefined = upstreams.length === 0 ? encodeJson(local) : undefined

  const merged = async (): Promise<OpenApiDocument> => {
    const paths = { ...local.paths }
    const tags = [...(local.tags as unknown[])]
    for (const m of upstreams) {
      const res = await m.handler(new Request(`http://gateway.internal${OPENAPI_PATH}`))
      if (res.status !== 200) {
        await res.body?.cancel()
        throw splitErrors.problem('GATEWAY_UPSTREAM_UNAVAILABLE', {
          detail: `${m.name}'s upstream answered ${OPENAPI_PATH} with status ${res.status}`,
          extensions: { upstream: m.name },
        })
      }
      const remote = (await res.json()) as OpenApiDocument
      for (const [path, item] of Object.entries(routesUnder(remote, m.mount))) {
        paths[path] = Object.fromEntries(Object.entries(item).map(([method, op]) => [method, withUpstreamErrors(op as Operation)]))
      }
      tags.push({ name: m.name, description: `${TAG_DESCRIPTIONS[m.name]} Served by another process of this deployment.` })
    }
    return { ...local, tags: dedupeTags(tags), paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))) }
  }

  return async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw kitErrors.problem('HTTP_METHOD_NOT_ALLOWED', {
        detail: `${req.method} is not allowed on ${OPENAPI_PATH}; allowed: GET, HEAD`,
        headers: { allow: 'GET, HEAD' },
      })
    }
    // Cached only once every upstream answered: a deployment started before its upstreams still gets the whole document later.
    encoded ??= encodeJson(await merged())
    return new Response(req.method === 'HEAD' ? null : encoded, { headers: { 'content-type': JSON_CONTENT_TYPE } })
  }
}

type Operation = { responses: Record<string, { description: string }> }

/** Adds the forwarder's 502/504 to an operation fetched from an upstream (the codes are the description, kit's problemAnswerDoc). */
function withUpstreamErrors(op: Operation): Operation {
  const responses: Record<string, { description: string }> = { ...op.responses }
  for (const code of UPSTREAM_ERRORS) {
    const status = String(splitErrors.specs[code as keyof typeof splitErrors.specs].status)
    const codes = new Set([...(responses[status]?.description ?? '').split(', ').filter((c) => c !== ''), code])
    responses[status] = problemAnswerDoc([...codes]) as { description: string }
  }
  return { ...op, responses }
}

function dedupeTags(tags: unknown[]): unknown[] {
  const names = new Set<string>()
  return tags.filter((t) => {
    const name = (t as { name: string }).name
    if (names.has(name)) return false
    names.add(name)
    return true
  })
}
