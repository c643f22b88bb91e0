import { createRouter, type Handler, isProblem, jsonResponse, kitErrors, type Slots } from '@lakehouse/kit'
import { declaredLength, guardBody, refuseBody } from './body-guard.ts'
import type { StorageConfig } from './config.ts'
import { storageErrors } from './errors.ts'
import { assertValidKey, assertValidPrefix, decodeKey, foldCase } from './key-policy.ts'
import { type ObjectInfo, type ObjectStore, RESERVED_PREFIXES } from './object-store.ts'
import { storageRouteDocs } from './route-docs.ts'
import { tooLargeProblem } from './write-body.ts'

/** Where the gateway mounts storage; routes are registered on full paths because requests arrive untouched. */
export const STORAGE_MOUNT = '/v1/storage'
const OBJECTS = `${STORAGE_MOUNT}/objects`

export interface StorageRoutesDeps {
  readonly store: ObjectStore
  readonly config: Readonly<StorageConfig>
  readonly slots: Slots
  /** Registers an in-flight PUT so `close()` can wait for it. */
  readonly track: <T>(work: Promise<T>) => Promise<T>
}

/** The key from the raw (still percent-encoded) path, decoded exactly once and validated. */
function keyOf(req: Request): string {
  const path = new URL(req.url).pathname
  if (!path.startsWith(`${OBJECTS}/`)) {
    // The wildcard route also matches the collection itself, which only lists.
    throw kitErrors.problem('HTTP_METHOD_NOT_ALLOWED', {
      detail: `${req.method} is not allowed on ${OBJECTS}; allowed: GET, HEAD`,
      headers: { allow: 'GET, HEAD' },
    })
  }
  const key = decodeKey(path.slice(OBJECTS.length + 1))
  assertValidKey(key)
  return key
}

const FOLDED_RESERVED = RESERVED_PREFIXES.map((prefix) => ({ prefix, folded: foldCase(prefix) }))

function assertWritable(key: string): void {
  const folded = foldCase(key)
  const reserved = FOLDED_RESERVED.find((p) => folded.startsWith(p.folded))?.prefix
  if (reserved === undefined) return
  throw storageErrors.problem('STORAGE_RESERVED_KEY', {
    detail: `keys under ${JSON.stringify(reserved)} are written by the catalog and ingest, never over HTTP`,
    extensions: { reserved_prefix: reserved },
  })
}

function notFound(key: string) {
  return storageErrors.problem('STORAGE_NOT_FOUND', { detail: `no object under key ${JSON.stringify(key)}` })
}

function infoBody(info: ObjectInfo): ObjectInfo {
  return { key: info.key, size: info.size, etag: info.etag, modified: info.modified }
}

function objectHeaders(info: ObjectInfo): Record<string, string> {
  return {
    'content-type': 'application/octet-stream',
    'content-length': String(info.size),
    // RFC 9110 §8.8.3: an entity tag is a quoted string; the JSON bodies carry it bare.
    etag: `"${info.etag}"`,
    'last-modified': new Date(info.modified).toUTCString(),
  }
}

function encodeKeyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/')
}

function parseLimit(raw: string | null, config: Readonly<StorageConfig>): number {
  if (raw === null) return config.listDefaultLimit
  const limit = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN
  if (limit >= 1 && limit <= config.listCap) return limit
  throw storageErrors.problem('STORAGE_INVALID_LIMIT', {
    detail: `limit must be an integer in 1..${config.listCap}, got ${JSON.stringify(raw)}`,
    extensions: { max_limit: config.listCap },
  })
}

export function createStorageHandler(deps: StorageRoutesDeps): Handler {
  const { store, config, slots } = deps
  const max = config.maxObjectBytes
  const docs = storageRouteDocs(config)

  /** PUT refusals decided before the body is read still drain it (or close the connection), so the client sees them. */
  const admit = async (req: Request): Promise<{ key: string; release: () => void }> => {
    let key: string
    try {
      key = keyOf(req)
      assertWritable(key)
    } catch (err) {
      if (isProblem(err)) await refuseBody(req, err)
      throw err
    }
    const declared = declaredLength(req)
    if (declared !== undefined && declared > max) await refuseBody(req, tooLargeProblem(max))
    const release = slots.tryAcquire()
    if (release === undefined) {
      await refuseBody(
        req,
        storageErrors.problem('STORAGE_BUSY', {
          detail: `all ${slots.size} upload slots are in use; retry later`,
          headers: { 'retry-after': String(config.busyRetryAfterS) },
        }),
      )
    }
    return { key, release: release ?? (() => undefined) }
  }

  const putObject = async (req: Request): Promise<Response> => {
    const { key, release } = await admit(req)
    const guard = guardBody(req.body, max)
    try {
      let info: ObjectInfo
      let existed: boolean
      try {
        existed = (await store.head(key)) !== undefined
        info = await store.put(key, guard.stream, { maxBytes: max, contentType: req.headers.get('content-type') ?? undefined })
      } catch (err) {
        throw await guard.settle(err)
      }
      const headers: Record<string, string> = { etag: `"${info.etag}"` }
      if (!existed) headers.location = `${OBJECTS}/${encodeKeyPath(key)}`
      return jsonResponse(infoBody(info), existed ? 200 : 201, headers)
    } finally {
      release()
    }
  }

  return createRouter()
    .get(OBJECTS, docs.list, async ({ req }) => {
      const params = new URL(req.url).searchParams
      const prefix = params.get('prefix') ?? ''
      assertValidPrefix(prefix)
      const limit = parseLimit(params.get('limit'), config)
      const result = await store.list(prefix, limit)
      return jsonResponse({ items: result.items.map(infoBody), truncated: result.truncated })
    })
    .get(`${OBJECTS}/*`, docs.get, async ({ req }) => {
      const key = keyOf(req)
      // Hono serves HEAD through the GET route; answering from `head` avoids opening a body nobody reads.
      if (req.method === 'HEAD') {
        const info = await store.head(key)
        if (info === undefined) throw notFound(key)
        return new Response(null, { status: 200, headers: objectHeaders(info) })
      }
      const object = await store.get(key)
      if (object === undefined) throw notFound(key)
      return new Response(object.body, { status: 200, headers: objectHeaders(object.info) })
    })
    .put(`${OBJECTS}/*`, docs.put, ({ req }) => deps.track(putObject(req)))
    .delete(`${OBJECTS}/*`, docs.delete, async ({ req }) => {
      const key = keyOf(req)
      assertWritable(key)
      if (!(await store.delete(key))) throw notFound(key)
      return new Response(null, { status: 204 })
    })
    .build()
}
