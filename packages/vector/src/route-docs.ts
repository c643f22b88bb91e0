import { EMBEDDING_ERRORS } from '@lakehouse/embed'
import type { BodySchema, ParamDoc, RouteDoc } from '@lakehouse/kit'
import { INDEX_NAME_PATTERN, MAX_DIM, METRICS } from './index-spec.ts'
import { type ConfiguredChecks, checkSourceBody, checkSpecBody, type InputLimits } from './input-checks.ts'

/** IndexInfo as infoOf builds it: `source` only once one was recorded. */
const INDEX_INFO_SCHEMA: BodySchema = {
  type: 'object',
  required: ['name', 'dim', 'metric', 'model', 'size'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: INDEX_NAME_PATTERN.source },
    dim: { type: 'integer', minimum: 1, maximum: MAX_DIM },
    metric: { enum: [...METRICS], description: 'Canonical spelling: `cosine` at create is stored and reported as `cos`.' },
    model: { type: 'string', description: 'Embeds `text` items and queries.' },
    size: { type: 'integer', minimum: 0, description: 'Items currently searchable.' },
    source: {
      type: 'object',
      required: ['dataset', 'version'],
      additionalProperties: false,
      description: 'What the items were built from (`PUT …/source`); absent until recorded.',
      properties: { dataset: { type: 'string' }, version: { type: 'integer', minimum: 1 } },
    },
  },
}

const METADATA_SCHEMA: BodySchema = {
  type: 'object',
  additionalProperties: { type: ['string', 'number', 'boolean', 'null', 'array'], items: { type: 'string' } },
  description: 'As stored with the item (`{}` when none was given).',
}

const HIT_SCHEMA: BodySchema = {
  type: 'object',
  required: ['id', 'score', 'metadata'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    score: {
      type: 'number',
      description: 'Higher is better: cosine similarity (`cos`), inner product (`ip`), −squared distance (`l2sq`).',
    },
    metadata: METADATA_SCHEMA,
  },
}

/** A VectorWarning (routes.ts): the request was read, and answered in full, but something in it is on its way out. */
const WARNING_SCHEMA: BodySchema = {
  type: 'object',
  required: ['code', 'field', 'message'],
  additionalProperties: false,
  properties: {
    code: { enum: ['deprecated_member'] },
    field: { type: 'string', description: 'JSONPath of the member, e.g. `$.filter`.' },
    message: { type: 'string' },
  },
}

const SEARCH_ANSWER_SCHEMA: BodySchema = {
  type: 'object',
  required: ['hits'],
  additionalProperties: false,
  properties: {
    hits: { type: 'array', items: HIT_SCHEMA, description: 'At most `k`, best first; ties by id.' },
    warnings: {
      type: 'array',
      minItems: 1,
      items: WARNING_SCHEMA,
      description: 'Present only when the request used a deprecated spelling (`filter` for `filters`).',
    },
  },
}

const ADD_ANSWER_SCHEMA: BodySchema = {
  type: 'object',
  required: ['added', 'replaced', 'size'],
  additionalProperties: false,
  properties: {
    added: { type: 'integer', minimum: 0, description: 'Items with a new id.' },
    replaced: { type: 'integer', minimum: 0, description: 'Items whose id was already in the index.' },
    size: { type: 'integer', minimum: 0, description: 'Items in the index now.' },
  },
}

const INDEX_NAME: ParamDoc = {
  description: 'The index name; one that breaks the pattern is VECTOR_INVALID_NAME.',
  schema: { type: 'string', pattern: INDEX_NAME_PATTERN.source },
}

/** Where an index may be missing, or present on disk but not loaded. */
const NAMED_INDEX_ERRORS = ['VECTOR_INVALID_NAME', 'VECTOR_INDEX_NOT_FOUND', 'VECTOR_INDEX_UNAVAILABLE']

export interface VectorRouteDocs {
  readonly create: RouteDoc
  readonly list: RouteDoc
  readonly describe: RouteDoc
  readonly setSource: RouteDoc
  readonly drop: RouteDoc
  readonly addItems: RouteDoc
  readonly deleteItem: RouteDoc
  readonly search: RouteDoc
}

/** The docs of every vector route; `checks` are the compiled checks the routes run (their schemas carry the configured limits). */
export function vectorRouteDocs(checks: ConfiguredChecks, limits: InputLimits): VectorRouteDocs {
  return {
    create: {
      summary: 'Create a vector index',
      description:
        'Idempotent: the same spec again answers 200 with the index as it is; another dim, metric or model is VECTOR_INDEX_CONFLICT. Durable before the answer (docs/vector.md).',
      body: checkSpecBody,
      responses: {
        201: { description: 'Created.', schema: INDEX_INFO_SCHEMA },
        200: { description: 'An index with this spec already exists.', schema: INDEX_INFO_SCHEMA },
      },
      // A named model is probed once: an embedding failure, or a dimension other than `dim`.
      errors: [
        'VECTOR_INVALID_NAME',
        'VECTOR_MODEL_MISMATCH',
        'VECTOR_INDEX_CONFLICT',
        'VECTOR_INDEX_UNAVAILABLE',
        'VECTOR_PERSIST_FAILED',
        ...EMBEDDING_ERRORS,
      ],
    },
    list: {
      summary: 'List the vector indexes',
      description: 'Sorted by name; indexes that failed verification at start are not listed (see stats).',
      responses: {
        200: {
          description: 'Every loaded index.',
          schema: {
            type: 'object',
            required: ['indexes'],
            additionalProperties: false,
            properties: { indexes: { type: 'array', items: INDEX_INFO_SCHEMA } },
          },
        },
      },
      errors: [],
    },
    describe: {
      summary: 'Describe one vector index',
      pathParams: { name: INDEX_NAME },
      responses: { 200: { description: 'The index.', schema: INDEX_INFO_SCHEMA } },
      errors: NAMED_INDEX_ERRORS,
    },
    setSource: {
      summary: 'Record the dataset version an index was built from',
      description: 'Lets the catalog report the index as stale once that version is no longer live; durable before the answer.',
      pathParams: { name: INDEX_NAME },
      body: checkSourceBody,
      responses: { 200: { description: 'The index with its source.', schema: INDEX_INFO_SCHEMA } },
      errors: [...NAMED_INDEX_ERRORS, 'VECTOR_PERSIST_FAILED'],
    },
    drop: {
      summary: 'Drop a vector index',
      description: 'Also removes the files of an index that failed verification at start (VECTOR_INDEX_UNAVAILABLE), freeing its name.',
      pathParams: { name: INDEX_NAME },
      responses: { 204: { description: 'Dropped.' } },
      errors: ['VECTOR_INVALID_NAME', 'VECTOR_INDEX_NOT_FOUND'],
    },
    addItems: {
      summary: 'Add or replace items of a vector index',
      description: `Each item has a vector of the index dimension or a text embedded with the index's model; an id already present is replaced. At most maxBatch (${limits.maxBatch}) items (docs/vector.md).`,
      pathParams: { name: INDEX_NAME },
      body: checks.addItems,
      responses: { 200: { description: 'What the batch did.', schema: ADD_ANSWER_SCHEMA } },
      errors: [...NAMED_INDEX_ERRORS, 'VECTOR_BATCH_TOO_LARGE', 'VECTOR_BAD_DIMENSION', 'VECTOR_MODEL_MISMATCH', ...EMBEDDING_ERRORS],
    },
    deleteItem: {
      summary: 'Delete one item of a vector index',
      pathParams: {
        name: INDEX_NAME,
        id: {
          description: `The item id; one no item can have (longer than maxIdLength, ${limits.maxIdLength}) is answered like any absent id.`,
          schema: { type: 'string', minLength: 1 },
        },
      },
      responses: { 204: { description: 'Deleted.' } },
      errors: [...NAMED_INDEX_ERRORS, 'VECTOR_ITEM_NOT_FOUND'],
    },
    search: {
      summary: 'Search a vector index for the nearest items',
      description:
        'By `vector` or by `text` (embedded with the index model), optionally filtered on metadata (`filters`; the deprecated `filter` is still read and answered with a warning). Docs: docs/vector.md.',
      pathParams: { name: INDEX_NAME },
      body: checks.search,
      responses: { 200: { description: 'The hits, best first.', schema: SEARCH_ANSWER_SCHEMA } },
      errors: [...NAMED_INDEX_ERRORS, 'VECTOR_BAD_DIMENSION', 'VECTOR_MODEL_MISMATCH', ...EMBEDDING_ERRORS],
    },
  }
}
