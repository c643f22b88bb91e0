import { defineErrors } from '@lakehouse/kit'

export const storageErrors = defineErrors('storage', {
  STORAGE_INVALID_KEY: {
    status: 400,
    title: 'Invalid Object Key',
    description:
      'The key (or list `prefix`) breaks the key policy: empty, over 1024 UTF-8 bytes, a segment over 255 bytes, NUL or another control character (CR, LF, TAB, …), a leading or trailing `/`, an empty, `.` or `..` segment, a lone UTF-16 surrogate, bad percent-encoding, or a first segment `.tmp`/`.meta`; `errors[0].reason` names the rule.',
  },
  STORAGE_INVALID_LIMIT: {
    status: 400,
    title: 'Invalid List Limit',
    description: '`limit` on `GET /v1/storage/objects` is not a decimal integer in 1..listCap (default 10,000).',
  },
  STORAGE_NOT_FOUND: {
    status: 404,
    title: 'Object Not Found',
    description: 'No object is stored under the key.',
  },
  STORAGE_RESERVED_KEY: {
    status: 403,
    title: 'Reserved Object Key',
    description:
      'PUT or DELETE on a key under a reserved prefix (`_system/`, `datasets/`): internal state and live datasets are written by the catalog and ingest, never over HTTP. Reads are allowed.',
  },
  STORAGE_KEY_CONFLICT: {
    status: 409,
    title: 'Object Key Conflict',
    description:
      'The filesystem backend cannot store the key because an existing key is one of its parent "directories" (`a` blocks `a/b`) or the key is a parent of existing keys (`a/b` blocks `a`).',
  },
  STORAGE_TOO_LARGE: {
    status: 413,
    title: 'Object Too Large',
    description:
      'The object exceeds the size cap (default 256 MiB), judged from `Content-Length` up front and again while streaming; nothing is stored and an existing object is left unchanged. The problem has `limit_bytes`.',
  },
  STORAGE_UPLOAD_INCOMPLETE: {
    status: 400,
    title: 'Upload Incomplete',
    description:
      'The request body ended abnormally (the client aborted or the connection broke) before it was complete; nothing is stored.',
  },
  STORAGE_BUSY: {
    status: 503,
    title: 'Storage Busy',
    description:
      'Every PUT slot (default 4) is taken; the request is refused at once, never queued. Retry after the `Retry-After` seconds.',
  },
  STORAGE_INSUFFICIENT_SPACE: {
    status: 507,
    title: 'Insufficient Storage',
    description: 'The backend ran out of space or quota (ENOSPC, EDQUOT) while writing; nothing is stored.',
  },
  STORAGE_BACKEND_UNAVAILABLE: {
    status: 503,
    title: 'Storage Backend Unavailable',
    description:
      'The backend is unreachable, timed out, throttled, answered 5xx, ran out of file descriptors, or the store is closed; retry after `Retry-After`. The detail names the operation and error class, never endpoints or credentials.',
  },
  STORAGE_BACKEND_ERROR: {
    status: 500,
    title: 'Storage Backend Error',
    description:
      'The backend refused or failed the operation for a reason a retry will not fix (permissions, missing bucket, bad credentials, I/O error). The detail names the operation and error class, never paths, endpoints or credentials.',
  },
})

export type StorageErrorCode = keyof typeof storageErrors.specs
