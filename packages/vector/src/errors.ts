import { defineErrors } from '@lakehouse/kit'

export const vectorErrors = defineErrors('vector', {
  VECTOR_INVALID_NAME: {
    status: 400,
    title: 'Invalid Index Name',
    description: 'An index name must match `^[a-z][a-z0-9_-]{0,62}$` (lower-case letter first, at most 63 characters).',
  },
  VECTOR_BAD_DIMENSION: {
    status: 400,
    title: 'Wrong Vector Dimension',
    description: 'A vector (item or query) does not have the index dimension; `errors` names each offending vector.',
  },
  VECTOR_MODEL_MISMATCH: {
    status: 400,
    title: 'Embedding Model Dimension Mismatch',
    description: "The index's model embeds to a dimension other than the index `dim`, so `text` cannot be used with this index.",
  },
  VECTOR_BATCH_TOO_LARGE: {
    status: 400,
    title: 'Vector Batch Too Large',
    description: 'An add carries more items than the configured limit (default 1,000); split it.',
  },
  VECTOR_INDEX_NOT_FOUND: {
    status: 404,
    title: 'Index Not Found',
    description: 'No vector index has this name.',
  },
  VECTOR_ITEM_NOT_FOUND: {
    status: 404,
    title: 'Item Not Found',
    description: 'The index holds no item with this id.',
  },
  VECTOR_INDEX_CONFLICT: {
    status: 409,
    title: 'Index Conflict',
    description: 'An index with this name exists with another dim, metric or model; both specs are in the problem.',
  },
  VECTOR_INDEX_UNAVAILABLE: {
    status: 409,
    title: 'Index Unavailable',
    description:
      "The index's files failed verification at start, so it was not loaded; `DELETE /v1/vector/indexes/{name}` removes them and frees the name.",
  },
  VECTOR_PERSIST_FAILED: {
    status: 503,
    title: 'Index Not Persisted',
    description: 'Creating the index could not be made durable (disk full, permissions); nothing was created. Retry after `Retry-After`.',
  },
})

export type VectorErrorCode = keyof typeof vectorErrors.specs
