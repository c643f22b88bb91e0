import { STEP_SCHEMA } from '@lakehouse/parity'

/**
 * JSON Schema of a mix file (YAML or JSON). Steps are parity case steps (one format, one
 * request builder) plus `expect`, the assertions every load step carries.
 */

const OPS = ['exists', 'not_empty', 'equals', 'not_equals', 'gt', 'gte', 'lt', 'lte', 'disjoint', 'contains', 'matches'] as const
export const ASSERTION_OPS: readonly string[] = OPS

const assertionSchema = {
  type: 'object',
  required: ['path'],
  properties: {
    path: { type: 'string', minLength: 1 },
    exists: { const: true },
    not_empty: { const: true },
    equals: {},
    not_equals: {},
    gt: {},
    gte: {},
    lt: {},
    lte: {},
    disjoint: {},
    contains: {},
    matches: { type: 'string' },
  },
  additionalProperties: false,
  minProperties: 2,
  maxProperties: 2,
} as const

const expectSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: {
      anyOf: [
        { type: 'integer', minimum: 100, maximum: 599 },
        { type: 'array', minItems: 1, items: { type: 'integer', minimum: 100, maximum: 599 } },
      ],
    },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    body: { type: 'array', items: assertionSchema },
  },
} as const

export const LOAD_STEP_SCHEMA = {
  ...STEP_SCHEMA,
  properties: { ...STEP_SCHEMA.properties, expect: expectSchema },
} as const

const thresholdList = { type: 'array', items: { type: 'string', minLength: 1 } } as const

export const MIX_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'scenarios'],
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]*$', maxLength: 80 },
    description: { type: 'string' },
    requires: { type: 'object', additionalProperties: false, properties: { corpus: { type: 'boolean' } } },
    pools: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      additionalProperties: { type: 'array', minItems: 1 },
    },
    thresholds: thresholdList,
    scenarios: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'weight', 'steps'],
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', maxLength: 80 },
          weight: { type: 'number', exclusiveMinimum: 0 },
          vars: { type: 'object', propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } },
          thresholds: thresholdList,
          steps: { type: 'array', minItems: 1, maxItems: 32, items: LOAD_STEP_SCHEMA },
        },
      },
    },
  },
} as const
