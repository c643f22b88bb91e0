/**
 * JSON Schema of a case file (JSON or YAML). A file holds one case, or `{cases: [...]}` with
 * optional file-level `component`, `tags` and `compare` applied to each. Names are snake_case
 * in files; the loader maps them to the camelCase model.
 */

/** One ranked list: `{path: $.hits, key: id, score: score, k: 10, min_overlap: 0.9, max_displacement: 2, score_tolerance: 1e-6}`. */
const rankedSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['path', 'key'],
  properties: {
    path: { type: 'string', pattern: '^\\$' },
    key: { type: 'string', minLength: 1 },
    score: { type: 'string', minLength: 1 },
    k: { type: 'integer', minimum: 1 },
    min_overlap: { type: 'number', minimum: 0, maximum: 1 },
    max_displacement: { type: 'integer', minimum: 0 },
    score_tolerance: { type: 'number', minimum: 0 },
  },
} as const

const rulesSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ignore: { type: 'array', items: { type: 'string', pattern: '^(\\$|header:)' } },
    array_keys: { type: 'object', additionalProperties: { type: 'string', minLength: 1 } },
    unordered: { type: 'array', items: { type: 'string', pattern: '^\\$' } },
    tolerance: { type: 'object', additionalProperties: { type: 'number', minimum: 0 } },
    headers: { type: 'object', additionalProperties: { enum: ['ignore', 'equal', 'present'] } },
    // One ranked list, or several.
    ranked: { oneOf: [rankedSchema, { type: 'array', minItems: 1, items: rankedSchema }] },
  },
} as const

const partSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1 },
    value: { type: 'string' },
    file: { type: 'string', minLength: 1 },
    filename: { type: 'string' },
    content_type: { type: 'string' },
  },
  oneOf: [{ required: ['value'] }, { required: ['file'] }],
} as const

/** One step; the load generator's mix files extend it (load/src/mix/mix-schema.ts). */
export const STEP_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['method', 'path'],
  properties: {
    name: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9_.-]+$' },
    method: { enum: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] },
    path: { type: 'string', pattern: '^/' },
    query: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    json: {},
    text: { type: 'string' },
    file: { type: 'string', minLength: 1 },
    multipart: { type: 'array', minItems: 1, items: partSchema },
    // Generated text for size tests, so the corpus need not commit megabyte fixtures.
    repeat: {
      type: 'object',
      additionalProperties: false,
      required: ['text', 'count'],
      properties: {
        prefix: { type: 'string' },
        text: { type: 'string', minLength: 1 },
        count: { type: 'integer', minimum: 1, maximum: 67108864 },
        suffix: { type: 'string' },
      },
    },
    capture: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['from'],
        properties: { from: { enum: ['body', 'header', 'status'] }, path: { type: 'string', minLength: 1 } },
      },
    },
    expect_status: { type: 'integer', minimum: 100, maximum: 599 },
    // false sends `{{…}}` literally (e.g. to test a placeholder guard) instead of filling it.
    template: { type: 'boolean' },
    compare: rulesSchema,
  },
  // At most one body form per step.
  not: {
    anyOf: ['json', 'text', 'file', 'multipart', 'repeat'].flatMap((a, i, all) => all.slice(i + 1).map((b) => ({ required: [a, b] }))),
  },
} as const

const caseProperties = {
  id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]*$', maxLength: 120 },
  title: { type: 'string', minLength: 1 },
  component: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
  tags: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]*$' } },
  setup: { type: 'boolean' },
  noise_check: { type: 'boolean' },
  // How often recorded traffic had this case (parity/src/traffic/fold.ts); `pnpm load` weighs its scenario by it.
  weight: { type: 'integer', minimum: 1 },
  compare: rulesSchema,
  steps: { type: 'array', minItems: 1, items: STEP_SCHEMA },
} as const

export const CASE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'steps'],
  properties: caseProperties,
} as const

/** `{cases: [...]}` with file-level defaults; the loader picks this schema when `cases` is present. */
export const CASE_LIST_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['cases'],
  properties: {
    component: caseProperties.component,
    tags: caseProperties.tags,
    compare: rulesSchema,
    cases: { type: 'array', minItems: 1, items: CASE_SCHEMA },
  },
} as const
