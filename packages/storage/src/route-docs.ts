import type { BodySchema, ParamDoc, RouteDoc } from '@lakehouse/kit'
import type { StorageConfig } from './config.ts'
import { MAX_KEY_BYTES, MAX_SEGMENT_BYTES } from './key-policy.ts'
import { RESERVED_PREFIXES } from './object-store.ts'

/** ObjectInfo as the routes answer it (infoBody): the etag bare, unlike the quoted ETag header. */
const OBJECT_INFO: BodySchema = {
  type: 'object',
  required: ['key', 'size', 'etag', 'modified'],
  additionalProperties: false,
  properties: {
    key: { type: 'string' },
    size: { type: 'integer', minimum: 0, description: 'Bytes.' },
    etag: { type: 'string', description: 'Strong validator of the content (SHA-256 or MD5 hex, by backend).' },
    modified: { type: 'string', format: 'date-time' },
  },
}

const RESERVED = RESERVED_PREFIXES.map((p) => `\`${p}\``).join(', ')

const KEY_PARAM: ParamDoc = {
  description: `The object key, slashes included, percent-decoded once (\`a%2Fb\` is \`a/b\`). At most ${MAX_KEY_BYTES} UTF-8 bytes, segments of at most ${MAX_SEGMENT_BYTES}; no empty, \`.\` or \`..\` segment, no control character, no leading or trailing \`/\`, no first segment \`.tmp\`/\`.meta\` (docs/storage.md); otherwise 400 STORAGE_INVALID_KEY.`,
  schema: { type: 'string', minLength: 1 },
}

// What a backend answers when it cannot do the I/O (fs errno or S3 error, mapped in fs-errors.ts / s3-errors.ts).
const BACKEND_FAILURES = ['STORAGE_BACKEND_UNAVAILABLE', 'STORAGE_BACKEND_ERROR']

const OBJECT_HEADERS = {
  ETag: 'The quoted etag of the content.',
  'Last-Modified': 'When the object was last written.',
  'Content-Length': 'Size in bytes.',
}

export interface StorageRouteDocs {
  readonly list: RouteDoc
  readonly get: RouteDoc
  readonly put: RouteDoc
  readonly delete: RouteDoc
}

/** The list limits are configuration, so the docs are built per service. */
export function storageRouteDocs(config: Readonly<StorageConfig>): StorageRouteDocs {
  return {
    list: {
      summary: 'List objects by key prefix',
      description: 'Keys in lexicographic (UTF-8 byte) order; `truncated` says more exist past `limit` (docs/storage.md).',
      query: {
        prefix: {
          description:
            'Only keys starting with this; complete segments follow the key rules (otherwise 400 STORAGE_INVALID_KEY). Empty: every key.',
          schema: { type: 'string' },
        },
        limit: {
          description: `Most items to answer, 1..${config.listCap}; default ${config.listDefaultLimit}.`,
          schema: { type: 'integer', minimum: 1, maximum: config.listCap, default: config.listDefaultLimit },
        },
      },
      responses: {
        200: {
          description: 'The first `limit` matching objects.',
          schema: {
            type: 'object',
            required: ['items', 'truncated'],
            additionalProperties: false,
            properties: { items: { type: 'array', items: OBJECT_INFO }, truncated: { type: 'boolean' } },
          },
        },
      },
      errors: ['STORAGE_INVALID_KEY', 'STORAGE_INVALID_LIMIT', ...BACKEND_FAILURES],
    },
    get: {
      summary: 'Read an object’s bytes',
      description: 'HEAD answers the same headers without the body.',
      pathParams: { path: KEY_PARAM },
      responses: {
        200: { description: 'The bytes, as stored.', contentType: 'application/octet-stream', headers: OBJECT_HEADERS },
      },
      errors: ['STORAGE_INVALID_KEY', 'STORAGE_NOT_FOUND', ...BACKEND_FAILURES],
    },
    put: {
      summary: 'Store an object, replacing any under the same key',
      description: `The replace is atomic and durable before the answer. Keys under ${RESERVED} are written only by the catalog and ingest. At most ${config.maxObjectBytes} bytes; ${config.putSlots} uploads at once, more are refused, never queued (docs/storage.md).`,
      rawBody: { description: 'The object’s bytes, any media type.', contentTypes: ['*/*'], required: false },
      pathParams: { path: KEY_PARAM },
      responses: {
        200: { description: 'Replaced an existing object.', schema: OBJECT_INFO, headers: { ETag: 'The quoted etag of the new content.' } },
        201: {
          description: 'Created.',
          schema: OBJECT_INFO,
          headers: {
            ETag: 'The quoted etag of the content.',
            Location: 'The object: /v1/storage/objects/{key}, segments percent-encoded.',
          },
        },
      },
      errors: [
        'STORAGE_INVALID_KEY',
        'STORAGE_RESERVED_KEY',
        'STORAGE_TOO_LARGE',
        'STORAGE_BUSY',
        'STORAGE_UPLOAD_INCOMPLETE',
        'STORAGE_KEY_CONFLICT',
        'STORAGE_INSUFFICIENT_SPACE',
        ...BACKEND_FAILURES,
      ],
    },
    delete: {
      summary: 'Delete an object',
      description: `Keys under ${RESERVED} are deleted only by the catalog and ingest.`,
      pathParams: { path: KEY_PARAM },
      responses: { 204: { description: 'Deleted.' } },
      errors: ['STORAGE_INVALID_KEY', 'STORAGE_RESERVED_KEY', 'STORAGE_NOT_FOUND', ...BACKEND_FAILURES],
    },
  }
}
