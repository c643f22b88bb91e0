import { DIVERGENCE_CLASSES, REPORT_SCHEMA_ID, RISKS } from '../model.ts'

/**
 * The subset of JSON Schema (draft-07) the report schema uses. Typed so `renderReportJson`
 * can walk it for key order without casting; every other keyword is allowed through `unknown`.
 */
export interface JsonSchemaNode {
  readonly $schema?: string
  readonly $id?: string
  readonly $ref?: string
  readonly title?: string
  readonly description?: string
  readonly type?: string | readonly string[]
  readonly properties?: Readonly<Record<string, JsonSchemaNode>>
  readonly required?: readonly string[]
  readonly additionalProperties?: boolean | JsonSchemaNode
  readonly items?: JsonSchemaNode | readonly JsonSchemaNode[]
  readonly definitions?: Readonly<Record<string, JsonSchemaNode>>
  readonly oneOf?: readonly JsonSchemaNode[]
  readonly [keyword: string]: unknown
}

const ref = (name: string): JsonSchemaNode => ({ $ref: `#/definitions/${name}` })
const str: JsonSchemaNode = { type: 'string' }
const nonNegative: JsonSchemaNode = { type: 'number', minimum: 0 }
const count: JsonSchemaNode = { type: 'integer', minimum: 0 }
const strings: JsonSchemaNode = { type: 'array', items: str }
const stringRecord: JsonSchemaNode = { type: 'object', additionalProperties: str }

/** Fields of `Finding`, reused by `Divergence` (an interface extension, so the order is the same). */
const FINDING_PROPERTIES: Readonly<Record<string, JsonSchemaNode>> = {
  class: ref('divergenceClass'),
  risk: ref('risk'),
  path: { type: 'string', description: '`status`, `header:<name>`, or a JSONPath into the body' },
  baseline: { description: 'What the baseline had at `path`; absent when the baseline had nothing there' },
  candidate: { description: 'What the candidate had at `path`; absent when the candidate had nothing there' },
  shape: { type: 'string', description: 'The change without its varying values: `integer→string`, `200→201`, `present→absent`' },
  message: str,
}

const TALLY_PROPERTIES: Readonly<Record<string, JsonSchemaNode>> = {
  cases: count,
  parity: count,
  known: count,
  divergent: count,
  errors: count,
}
const TALLY_REQUIRED = ['cases', 'parity', 'known', 'divergent', 'errors'] as const

const byKeys = (keys: readonly string[]): JsonSchemaNode => ({
  type: 'object',
  properties: Object.fromEntries(keys.map((k) => [k, count])),
  required: keys,
})

/**
 * JSON Schema of `report.json`. Property order here is the key order `renderReportJson`
 * writes, so the file reads top-down like the model. Objects do not forbid extra properties:
 * an added optional field is not a breaking change, and consumers are told to ignore fields
 * they do not know (docs/parity-report.md); the test suite checks the fixture has none the
 * schema does not describe.
 */
export const REPORT_JSON_SCHEMA: JsonSchemaNode = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: REPORT_SCHEMA_ID,
  title: 'Parity run report',
  type: 'object',
  properties: {
    schema: { const: REPORT_SCHEMA_ID },
    runId: str,
    startedAt: { type: 'string', description: 'ISO 8601 instant' },
    finishedAt: { type: 'string', description: 'ISO 8601 instant' },
    durationMs: nonNegative,
    commit: str,
    targets: { type: 'array', items: ref('target'), minItems: 1 },
    baseline: str,
    pairs: { type: 'array', items: ref('pair') },
    selection: {
      type: 'object',
      properties: { caseDir: str, cases: str, tags: strings },
      required: ['caseDir', 'tags'],
    },
    settings: ref('settings'),
    summary: ref('summary'),
    findings: { type: 'array', items: ref('parityFinding'), description: 'Root causes, by risk then breadth' },
    cases: { type: 'array', items: ref('case') },
    divergences: { type: 'array', items: ref('divergence') },
    staleRules: {
      type: 'array',
      items: { type: 'object', properties: { caseId: str, rule: str }, required: ['caseId', 'rule'] },
    },
    exitCode: { enum: [0, 1, 2] },
  },
  required: [
    'schema',
    'runId',
    'startedAt',
    'finishedAt',
    'durationMs',
    'targets',
    'baseline',
    'pairs',
    'selection',
    'settings',
    'summary',
    'findings',
    'cases',
    'divergences',
    'staleRules',
    'exitCode',
  ],
  definitions: {
    divergenceClass: { enum: [...DIVERGENCE_CLASSES] },
    risk: { enum: [...RISKS] },
    outcome: { enum: ['parity', 'known', 'divergent', 'error'] },
    pair: { type: 'array', items: [str, str], minItems: 2, maxItems: 2 },
    target: {
      type: 'object',
      properties: { name: str, url: str, booted: { type: 'boolean' }, runtime: str, version: str },
      required: ['name', 'url', 'booted'],
    },
    tally: { type: 'object', properties: TALLY_PROPERTIES, required: TALLY_REQUIRED },
    summary: {
      type: 'object',
      properties: {
        ...TALLY_PROPERTIES,
        steps: count,
        divergences: byKeys(['total', 'new', 'known']),
        findings: byKeys(['total', 'new', 'known']),
        noise: count,
        byClass: byKeys(DIVERGENCE_CLASSES),
        byRisk: byKeys(RISKS),
        byComponent: { type: 'object', additionalProperties: ref('tally') },
        resolvedTrackerIds: strings,
      },
      required: [...TALLY_REQUIRED, 'steps', 'divergences', 'findings', 'noise', 'byClass', 'byRisk', 'byComponent', 'resolvedTrackerIds'],
    },
    settings: {
      type: 'object',
      properties: {
        failOn: { enum: ['breaking', 'medium', 'any'] },
        tracker: { type: 'string', description: 'The tracker read; absent when none' },
        updateDocs: { type: 'boolean' },
        noise: { enum: ['replay', 'secondary', 'off'], description: "Where the baseline's second observation came from" },
        secondaryUrl: str,
        contract: { type: 'string', description: 'The OpenAPI document --contract checked answers against; absent when none' },
      },
      required: ['failOn', 'updateDocs', 'noise'],
    },
    finding: { type: 'object', properties: FINDING_PROPERTIES, required: ['class', 'risk', 'path', 'shape', 'message'] },
    endpointCount: {
      type: 'object',
      properties: { endpoint: str, occurrences: count, comparisons: count },
      required: ['endpoint', 'occurrences', 'comparisons'],
    },
    parityFinding: {
      type: 'object',
      properties: {
        id: { type: 'string', pattern: '^pf-[0-9a-f]{10}$' },
        pair: ref('pair'),
        class: ref('divergenceClass'),
        risk: ref('risk'),
        path: { type: 'string', description: 'Normalised: indexes and key filters are `[*]`; merged members in braces: `$.{id,title}`' },
        paths: strings,
        shape: str,
        parts: { type: 'array', items: { type: 'string', pattern: '^pf-[0-9a-f]{10}$' } },
        occurrences: count,
        comparisons: count,
        endpoints: { type: 'array', items: ref('endpointCount') },
        components: strings,
        cases: strings,
        example: {
          type: 'object',
          properties: {
            divergenceId: str,
            caseId: str,
            step: str,
            endpoint: str,
            path: str,
            baseline: {},
            candidate: {},
            message: str,
          },
          required: ['divergenceId', 'caseId', 'step', 'endpoint', 'path', 'message'],
        },
        members: strings,
        known: { type: 'boolean' },
        trackerIds: strings,
      },
      required: [
        'id',
        'pair',
        'class',
        'risk',
        'path',
        'paths',
        'shape',
        'parts',
        'occurrences',
        'comparisons',
        'endpoints',
        'components',
        'cases',
        'example',
        'members',
        'known',
        'trackerIds',
      ],
    },
    divergence: {
      type: 'object',
      properties: {
        ...FINDING_PROPERTIES,
        id: { type: 'string', pattern: '^pd-[0-9a-f]{10}$' },
        findingId: { type: 'string', pattern: '^pf-[0-9a-f]{10}$' },
        caseId: str,
        component: str,
        step: str,
        pair: ref('pair'),
        known: { type: 'boolean' },
        trackerId: str,
      },
      required: ['class', 'risk', 'path', 'shape', 'message', 'id', 'findingId', 'caseId', 'component', 'step', 'pair', 'known'],
    },
    response: {
      type: 'object',
      properties: {
        status: { type: 'integer' },
        headers: stringRecord,
        body: str,
        bodyKind: { enum: ['empty', 'json', 'text', 'binary'] },
        truncated: { type: 'boolean' },
        latencyMs: nonNegative,
      },
      required: ['status', 'headers', 'body', 'bodyKind', 'truncated', 'latencyMs'],
    },
    step: {
      type: 'object',
      properties: {
        name: str,
        method: str,
        path: str,
        endpoint: { type: 'string', description: 'Method and path template, ids generalised: `GET /workers/{id}`' },
        requestBodyPreview: str,
        responses: { type: 'object', additionalProperties: ref('response') },
        divergences: { type: 'array', items: ref('divergence') },
        noise: { type: 'array', items: ref('finding') },
        ignored: { type: 'array', items: ref('finding') },
        error: str,
      },
      required: ['name', 'method', 'path', 'endpoint', 'responses', 'divergences', 'noise', 'ignored'],
    },
    case: {
      type: 'object',
      properties: {
        id: str,
        title: str,
        component: str,
        tags: strings,
        file: str,
        outcome: ref('outcome'),
        error: str,
        latencyMs: { type: 'object', additionalProperties: nonNegative },
        steps: { type: 'array', items: ref('step') },
      },
      required: ['id', 'title', 'component', 'tags', 'file', 'outcome', 'latencyMs', 'steps'],
    },
  },
}
