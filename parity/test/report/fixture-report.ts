import { groupFindings } from '../../src/findings/group-findings.ts'
import {
  type Divergence,
  type Finding,
  REPORT_SCHEMA_ID,
  type ReportedCase,
  type ReportedResponse,
  type ReportedStep,
  type RunReport,
} from '../../src/model.ts'
import { findingId } from '../../src/run/divergence-id.ts'
import { summarize } from '../../src/run/summarize.ts'

/**
 * A realistic run: two components, every outcome, noise, an ignored difference, a stale
 * rule, and bodies carrying `</script>`, `<b>`, quotes and control characters. Shared by the
 * report and tracker tests.
 */

export function response(status: number, body: unknown, latencyMs: number, headers: Record<string, string> = {}): ReportedResponse {
  const text = typeof body === 'string' ? body : JSON.stringify(body, null, 0)
  return {
    status,
    headers: { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json', ...headers },
    body: text,
    bodyKind: typeof body === 'string' ? (body === '' ? 'empty' : 'text') : 'json',
    truncated: false,
    latencyMs,
  }
}

/** A JSON body given as text, so number literals such as `1.0` survive as the runner reports them. */
export function jsonText(status: number, text: string, latencyMs: number): ReportedResponse {
  return { status, headers: { 'content-type': 'application/problem+json' }, body: text, bodyKind: 'json', truncated: false, latencyMs }
}

export function divergence(
  id: string,
  caseId: string,
  component: string,
  step: string,
  finding: Finding,
  tracker?: string,
  pair: readonly [string, string] = ['node', 'bun'],
): Divergence {
  return {
    ...finding,
    id,
    findingId: findingId(pair, finding.class, finding.path, finding.shape),
    caseId,
    component,
    step,
    pair,
    known: tracker !== undefined,
    ...(tracker === undefined ? {} : { trackerId: tracker }),
  }
}

const emailOk: ReportedCase = {
  id: 'validator/email-ok',
  title: 'A valid email passes on both runtimes',
  component: 'validator',
  tags: ['smoke'],
  file: 'parity/cases/validator/email.yaml',
  outcome: 'parity',
  latencyMs: { node: 4.2, bun: 3.1 },
  steps: [
    {
      name: 'validate',
      method: 'POST',
      path: '/v1/validate',
      endpoint: 'POST /v1/validate',
      requestBodyPreview: '{"kind":"email","payload":{"to":"a@example.com"}}',
      responses: {
        node: response(200, { valid: true, kind: 'email', warnings: [], checked_at: '2026-05-02T10:00:00.001Z' }, 4.2, {
          'x-request-id': 'r-1',
        }),
        bun: response(200, { valid: true, kind: 'email', warnings: [], checked_at: '2026-05-02T10:00:00.002Z' }, 3.1, {
          'x-request-id': 'r-2',
        }),
        'node#2': response(200, { valid: true, kind: 'email', warnings: [], checked_at: '2026-05-02T10:00:00.003Z' }, 4.0),
      },
      divergences: [],
      noise: [
        {
          class: 'value',
          risk: 'medium',
          path: '$.checked_at',
          baseline: '…001Z',
          candidate: '…003Z',
          shape: 'string',
          message: 'differs between two baseline runs',
        },
      ],
      ignored: [
        {
          class: 'header',
          risk: 'medium',
          path: 'header:x-request-id',
          baseline: 'r-1',
          candidate: 'r-2',
          shape: 'value',
          message: 'request ids differ',
        },
      ],
    },
  ],
}

const schemaFinding: Finding = {
  class: 'value',
  risk: 'medium',
  path: "$.errors[?(@.field=='to')].message",
  baseline: 'must be <b>valid</b> </script><script>alert(1)</script>',
  candidate: 'must be valid',
  shape: 'string',
  message: 'message text differs: "<b>" markup & </script> on node',
}
const countFinding: Finding = {
  class: 'type',
  risk: 'breaking',
  path: '$.count',
  baseline: 1,
  candidate: 1.0,
  shape: 'integer→float',
  message: 'integer on node, float on bun',
}

const schemaError: ReportedCase = {
  id: 'validator/schema-error-shape',
  title: 'Schema failures carry the flat error shape',
  component: 'validator',
  tags: [],
  file: 'parity/cases/validator/schema.yaml',
  outcome: 'divergent',
  latencyMs: { node: 12.5, bun: 30.25 },
  steps: [
    {
      name: 'invalid payload',
      method: 'POST',
      path: '/v1/validate',
      endpoint: 'POST /v1/validate',
      responses: {
        node: jsonText(
          422,
          '{"code":"VALIDATION_FAILED","count":1,"errors":[{"field":"to","message":"must be <b>valid</b> </script><script>alert(1)</script>"}]}',
          12.5,
        ),
        bun: jsonText(422, '{"code":"VALIDATION_FAILED","count":1.0,"errors":[{"field":"to","message":"must be valid"}]}', 30.25),
      },
      divergences: [
        divergence('pd-0a1b2c3d4e', 'validator/schema-error-shape', 'validator', 'invalid payload', schemaFinding),
        divergence('pd-1111111111', 'validator/schema-error-shape', 'validator', 'invalid payload', countFinding),
      ],
      noise: [],
      ignored: [],
    },
  ],
}

const putObject: ReportedCase = {
  id: 'storage/put-object',
  title: 'PUT stores an object | returns its etag',
  component: 'storage',
  tags: ['write'],
  file: 'parity/cases/storage/objects.yaml',
  outcome: 'known',
  latencyMs: { node: 8, bun: 6 },
  steps: [
    {
      name: 'put',
      method: 'PUT',
      path: '/v1/storage/objects/a.txt',
      endpoint: 'PUT /v1/storage/objects/a.txt',
      requestBodyPreview: 'hello',
      responses: {
        node: response(201, { key: 'a.txt', etag: 'abc' }, 8, { etag: '"abc"' }),
        bun: response(201, { key: 'a.txt', etag: 'abc' }, 6, { etag: 'W/"abc"' }),
      },
      divergences: [
        divergence(
          'pd-2222222222',
          'storage/put-object',
          'storage',
          'put',
          {
            class: 'header',
            risk: 'medium',
            path: 'header:etag',
            baseline: '"abc"',
            candidate: 'W/"abc"',
            shape: 'value',
            message: 'weak etag on bun',
          },
          'D-001',
        ),
      ],
      noise: [],
      ignored: [],
    },
  ],
}

const getMissing: ReportedCase = {
  id: 'storage/get-missing',
  title: 'GET of a missing key is a 404 problem',
  component: 'storage',
  tags: [],
  file: 'parity/cases/storage/objects.yaml',
  outcome: 'error',
  error: 'step get: expected status 404 on bun, got 500',
  latencyMs: { node: 2, bun: 1.5 },
  steps: [
    {
      name: 'get',
      method: 'GET',
      path: '/v1/storage/objects/missing',
      endpoint: 'GET /v1/storage/objects/missing',
      responses: { node: response(404, { code: 'STORAGE_NOT_FOUND' }, 2), bun: response(500, { code: 'INTERNAL' }, 1.5) },
      divergences: [],
      noise: [],
      ignored: [],
      error: 'expected status 404 on bun, got 500',
    },
  ],
}

const listFindings: Finding[] = [
  {
    class: 'missing',
    risk: 'breaking',
    path: '$.items[1].etag',
    baseline: 'e2',
    shape: 'string→absent',
    message: 'etag absent on bun \u0001\u0008 (control chars)',
  },
  {
    class: 'status',
    risk: 'breaking',
    path: 'status',
    baseline: 200,
    candidate: 206,
    shape: '200→206',
    message: '200 on node, 206 on bun',
  },
]
const listObjects: ReportedCase = {
  id: 'storage/list',
  title: 'List returns every object',
  component: 'storage',
  tags: [],
  file: 'parity/cases/storage/objects.yaml',
  outcome: 'divergent',
  latencyMs: { node: 20, bun: 15 },
  steps: [
    {
      name: 'list',
      method: 'GET',
      path: '/v1/storage/objects?prefix=a',
      endpoint: 'GET /v1/storage/objects',
      responses: {
        node: response(
          200,
          {
            items: [
              { key: 'a', etag: 'e1' },
              { key: 'b', etag: 'e2' },
            ],
          },
          20,
        ),
        bun: response(206, { items: [{ key: 'a', etag: 'e1' }, { key: 'b' }] }, 15),
      },
      divergences: [
        divergence('pd-3333333333', 'storage/list', 'storage', 'list', listFindings[0] as Finding),
        divergence('pd-4444444444', 'storage/list', 'storage', 'list', listFindings[1] as Finding),
      ],
      noise: [],
      ignored: [],
    },
  ],
}

export const FIXTURE_CASES: readonly ReportedCase[] = [emailOk, schemaError, putObject, getMissing, listObjects]

export function buildReport(cases: readonly ReportedCase[] = FIXTURE_CASES, overrides: Partial<RunReport> = {}): RunReport {
  const divergences = cases.flatMap((c) => c.steps.flatMap((s: ReportedStep) => s.divergences))
  const pairs: [string, string][] = [['node', 'bun']]
  const findings = groupFindings(cases, pairs)
  return {
    schema: REPORT_SCHEMA_ID,
    runId: '20260502T100000Z-ab12',
    startedAt: '2026-05-02T10:00:00.000Z',
    finishedAt: '2026-05-02T10:00:02.500Z',
    durationMs: 2500,
    commit: 'cf838f8',
    targets: [
      { name: 'node', url: 'http://127.0.0.1:40001', booted: true, runtime: 'node', version: '20.19.0' },
      { name: 'bun', url: 'http://127.0.0.1:40002', booted: true, runtime: 'bun', version: '1.4.5' },
    ],
    baseline: 'node',
    pairs,
    selection: { caseDir: 'parity/cases', tags: [] },
    settings: { failOn: 'any', tracker: 'docs/ARCHITECTURE_COMPARISON.md', updateDocs: true, noise: 'replay' },
    // The runner's own summariser and grouping, so the fixture cannot drift from what runs produce.
    summary: summarize(cases, findings, ['D-007']),
    findings,
    cases,
    divergences,
    staleRules: [{ caseId: 'validator/email-ok', rule: '$.trace_id' }],
    exitCode: cases.some((c) => c.outcome === 'error') ? 2 : cases.some((c) => c.outcome === 'divergent') ? 1 : 0,
    ...overrides,
  }
}
