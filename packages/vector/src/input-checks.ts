import { type BodyCheck, type BodySchema, compileBodySchema, type ProblemEntry, quoteCallerText } from '@lakehouse/kit'
import { vectorErrors } from './errors.ts'
import { checkIndexName, type IndexSpec, MAX_DIM, METRIC_ALIASES, METRICS, normaliseMetric } from './index-spec.ts'
import type { Filter, IndexSource, ItemInput, Metadata, SearchInput } from './types.ts'
import { toFloat32 } from './vector-math.ts'

/**
 * Request bodies of the vector endpoints: one JSON Schema each (the shape), then the checks a
 * schema cannot say (the index name rule shared with paths, vector length against the index
 * dimension, the batch ceiling). The public methods take the same checks whether the input came
 * over HTTP or from another component, so an in-process caller gets the problems the endpoint
 * answers; fields are named as on the wire (`$.items[3].vector`, `$.exclude_ids`, `$.filters`).
 */

export interface InputLimits {
  readonly maxBatch: number
  readonly maxK: number
  readonly maxExcludeIds: number
  readonly maxIdLength: number
}

const MAX_MODEL_LENGTH = 256
/** Largest finite float32: a larger JSON number would be stored as Infinity. */
const FLOAT32_MAX = 3.4028234663852886e38

const METADATA_VALUE = {
  type: ['string', 'number', 'boolean', 'null', 'array'],
  items: { type: 'string' },
  description: 'A string, number, boolean, null or array of strings.',
} as const

const METADATA = {
  type: 'object',
  additionalProperties: METADATA_VALUE,
  description: 'Stored with the item and returned with its hits; filters match on it.',
} as const

const VECTOR = {
  type: ['array', 'null'],
  items: { type: 'number', minimum: -FLOAT32_MAX, maximum: FLOAT32_MAX },
  description: 'The embedding: exactly the index dimension of finite numbers within float32 range. null means absent.',
} as const

/** Exactly one of `vector` and `text` (an item or a search); null counts as absent. */
const VECTOR_OR_TEXT = [
  { required: ['vector'], properties: { vector: { type: 'array' }, text: { type: 'null' } } },
  { required: ['text'], properties: { text: { type: 'string' }, vector: { type: 'null' } } },
] as const

const FILTERS = {
  type: ['object', 'null'],
  description:
    'Metadata filter: every member must match. A value matches equality (strings case-insensitively; an array in the item matches when it holds the value); `{in: [values]}` matches any of them. null means absent.',
  additionalProperties: {
    anyOf: [
      METADATA_VALUE,
      {
        type: 'object',
        required: ['in'],
        additionalProperties: false,
        properties: { in: { type: 'array', items: METADATA_VALUE, description: 'Any of these values matches.' } },
      },
    ],
  },
} as const

/** `POST /v1/vector/indexes`. */
export const CREATE_INDEX_REQUEST_SCHEMA: BodySchema = {
  type: 'object',
  required: ['name', 'dim', 'metric'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', description: 'Index name, `^[a-z][a-z0-9_-]{0,62}$` (checked after the schema: VECTOR_INVALID_NAME).' },
    dim: { type: 'integer', minimum: 1, maximum: MAX_DIM, description: 'Vector dimension.' },
    metric: {
      enum: [...METRICS, ...Object.keys(METRIC_ALIASES)],
      description: '`cos` (cosine similarity; `cosine` is accepted and stored as `cos`), `ip` (inner product) or `l2sq` (squared L2).',
    },
    model: {
      type: ['string', 'null'],
      minLength: 1,
      maxLength: MAX_MODEL_LENGTH,
      description: 'Model that embeds `text` items and queries; default the embed service default. null means absent.',
    },
  },
}

/** `PUT /v1/vector/indexes/{name}/source`. */
export const SET_SOURCE_REQUEST_SCHEMA: BodySchema = {
  type: 'object',
  required: ['dataset', 'version'],
  additionalProperties: false,
  properties: {
    dataset: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      pattern: '^[^\\u0000-\\u001f\\u007f]*$',
      description: 'The dataset the items were built from: an opaque label without control characters.',
    },
    version: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'The dataset version.' },
  },
}

function itemsSchema(limits: InputLimits): BodySchema {
  return {
    type: 'array',
    minItems: 1,
    description: `The items, 1..maxBatch (${limits.maxBatch}; more is VECTOR_BATCH_TOO_LARGE).`,
    items: {
      type: 'object',
      required: ['id'],
      additionalProperties: false,
      anyOf: VECTOR_OR_TEXT,
      properties: {
        id: {
          type: 'string',
          minLength: 1,
          maxLength: limits.maxIdLength,
          description: 'Stable external id; re-adding it replaces the item.',
        },
        vector: VECTOR,
        text: { type: ['string', 'null'], description: "Embedded with the index's model when no vector is given. null means absent." },
        metadata: METADATA,
      },
    },
  }
}

/** `POST /v1/vector/indexes/{name}/items`; the id length is configuration (maxIdLength). */
export function addItemsRequestSchema(limits: InputLimits): BodySchema {
  return { type: 'object', required: ['items'], additionalProperties: false, properties: { items: itemsSchema(limits) } }
}

/** `POST /v1/vector/indexes/{name}/search`; `k` and `exclude_ids` ceilings are configuration. */
export function searchRequestSchema(limits: InputLimits): BodySchema {
  return {
    type: 'object',
    required: ['k'],
    additionalProperties: false,
    anyOf: VECTOR_OR_TEXT,
    properties: {
      vector: VECTOR,
      text: { type: ['string', 'null'], description: "Embedded with the index's model. null means absent." },
      k: { type: 'integer', minimum: 1, maximum: limits.maxK, description: `Hits to return at most, 1..maxK (${limits.maxK}).` },
      exclude_ids: {
        type: ['array', 'null'],
        maxItems: limits.maxExcludeIds,
        items: { type: 'string' },
        description: 'Ids never returned. null means none.',
      },
      filters: FILTERS,
      filter: {
        ...FILTERS,
        deprecated: true,
        description: 'Deprecated spelling of `filters` (answered with a warning); not with `filters`.',
      },
    },
  }
}

/** The checks of the bodies whose schemas carry configuration (the route docs publish them). */
export interface ConfiguredChecks {
  readonly addItems: BodyCheck<{ items: unknown[] }>
  readonly search: BodyCheck<WireSearch>
}

/** What create() and setSource() run first; exported for the route docs, which publish their schemas. */
export const checkSpecBody = compileBodySchema<{ name: string; dim: number; metric: string; model?: string | null }>(
  CREATE_INDEX_REQUEST_SCHEMA,
)
export const checkSourceBody = compileBodySchema<IndexSource>(SET_SOURCE_REQUEST_SCHEMA)
const configured = new WeakMap<InputLimits, ConfiguredChecks>()

/** The schemas that depend on configuration, compiled once per resolved config (at service creation). */
export function inputChecksFor(limits: InputLimits): ConfiguredChecks {
  let checks = configured.get(limits)
  if (checks === undefined) {
    checks = {
      addItems: compileBodySchema(addItemsRequestSchema(limits)),
      search: compileBodySchema(searchRequestSchema(limits)),
    }
    configured.set(limits, checks)
  }
  return checks
}

/** 400 VECTOR_BAD_DIMENSION naming each vector whose length is not the index dimension. */
function dimensionProblem(issues: readonly ProblemEntry[], what: string): never {
  const first = issues[0]?.message ?? ''
  throw vectorErrors.problem('VECTOR_BAD_DIMENSION', {
    detail: `${what}: ${first}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
    errors: issues,
  })
}

function dimensionIssue(vector: ArrayLike<number>, dim: number, field: string): ProblemEntry | undefined {
  if (vector.length === dim) return undefined
  return { kind: 'schema', field, reason: 'dimension', message: `${field} has ${vector.length} components; the index dimension is ${dim}` }
}

/** A caller's Float32Array as the JSON array the schema reads (NaN and ±Infinity then fail `type`). */
function plain(vector: readonly number[] | Float32Array | undefined): readonly number[] | undefined {
  return vector instanceof Float32Array ? Array.from(vector) : vector
}

export function checkSpec(spec: unknown, defaultModel: string): IndexSpec & { readonly modelGiven: boolean } {
  const s = checkSpecBody(spec)
  checkIndexName(s.name)
  const modelGiven = s.model !== undefined && s.model !== null
  return { name: s.name, dim: s.dim, metric: normaliseMetric(s.metric), model: modelGiven ? (s.model as string) : defaultModel, modelGiven }
}

/** An item id from a path: one no item can have (empty, or longer than maxIdLength) is simply not there. */
export function checkItemId(id: unknown, maxLength: number): string {
  if (typeof id !== 'string' || id === '' || id.length > maxLength) {
    throw vectorErrors.problem('VECTOR_ITEM_NOT_FOUND', {
      detail: `no item can have id ${quoteCallerText(String(id))}: ids are 1..${maxLength} characters`,
    })
  }
  return id
}

export interface CheckedItem {
  readonly id: string
  readonly vector: Float32Array | undefined
  readonly text: string | undefined
  readonly metadata: Metadata
}

export function checkItems(items: readonly ItemInput[] | unknown, dim: number, limits: InputLimits): CheckedItem[] {
  const list = Array.isArray(items) ? (items as unknown[]) : items
  const wire = Array.isArray(list)
    ? list.map((item: unknown) =>
        item instanceof Object && (item as ItemInput).vector instanceof Float32Array
          ? { ...(item as ItemInput), vector: plain((item as ItemInput).vector) }
          : item,
      )
    : list
  const checked = inputChecksFor(limits).addItems({ items: wire }).items as WireItem[]
  if (checked.length > limits.maxBatch) {
    throw vectorErrors.problem('VECTOR_BATCH_TOO_LARGE', {
      detail: `$.items has ${checked.length} items; the limit is ${limits.maxBatch}, split the batch`,
      errors: [
        {
          kind: 'length',
          field: '$.items',
          reason: 'too_long',
          message: `$.items has ${checked.length} items; the limit is ${limits.maxBatch}`,
        },
      ],
      extensions: { max_items: limits.maxBatch },
    })
  }
  const issues: ProblemEntry[] = []
  for (const [i, item] of checked.entries()) {
    const issue = item.vector == null ? undefined : dimensionIssue(item.vector, dim, `$.items[${i}].vector`)
    if (issue !== undefined) issues.push(issue)
  }
  if (issues.length > 0) dimensionProblem(issues, 'invalid add')
  return checked.map((item) => ({
    id: item.id,
    vector: item.vector == null ? undefined : (toFloat32(item.vector) as Float32Array),
    text: item.text ?? undefined,
    metadata: item.metadata ?? {},
  }))
}

export interface CheckedSearch {
  readonly vector: Float32Array | undefined
  readonly text: string | undefined
  readonly k: number
  readonly excludeIds: readonly string[]
  readonly filter: Filter | undefined
}

/** A search body as the schema sees it (wire names). */
export interface WireSearch {
  readonly vector?: readonly number[] | null
  readonly text?: string | null
  readonly k: number
  readonly exclude_ids?: readonly string[] | null
  readonly filters?: Filter | null
  /** Deprecated spelling of `filters`. */
  readonly filter?: Filter | null
}

interface WireItem {
  readonly id: string
  readonly vector?: readonly number[] | null
  readonly text?: string | null
  readonly metadata?: Metadata
}

/** An in-process search (camelCase, Float32Array) checked by the search schema under its wire names. */
export function checkSearch(input: SearchInput | unknown, dim: number, limits: InputLimits): CheckedSearch {
  const s = input as SearchInput
  const isObject = s !== null && typeof s === 'object' && !Array.isArray(s)
  const wire = isObject
    ? Object.fromEntries(
        Object.entries({ vector: plain(s.vector), text: s.text, k: s.k, exclude_ids: s.excludeIds, filters: s.filter }).filter(
          ([, v]) => v !== undefined,
        ),
      )
    : input
  const checked = inputChecksFor(limits).search(wire)
  if (checked.vector != null) {
    const issue = dimensionIssue(checked.vector, dim, '$.vector')
    if (issue !== undefined) dimensionProblem([issue], 'invalid search')
  }
  return {
    vector: checked.vector == null ? undefined : (toFloat32(checked.vector) as Float32Array),
    text: checked.text ?? undefined,
    k: checked.k,
    excludeIds: checked.exclude_ids ?? [],
    filter: checked.filters ?? undefined,
  }
}

/** `{dataset, version}`: an opaque label (non-empty, ≤ 128 characters, no controls) and a positive integer. */
export function checkSource(value: unknown): IndexSource {
  const { dataset, version } = checkSourceBody(value)
  return { dataset, version }
}
