import type { BodySchema, DescribedRoute } from '@lakehouse/kit'

/** `GET /health`'s body (health.ts). */
const HEALTH_SCHEMA: BodySchema = {
  type: 'object',
  required: ['status', 'runtime', 'version', 'uptime_s'],
  additionalProperties: false,
  properties: {
    status: { const: 'ok' },
    runtime: { type: 'string', description: 'node or bun, and its version.' },
    version: { type: 'string', description: 'The Lakehouse release.' },
    uptime_s: { type: 'integer', minimum: 0 },
  },
}

export const OPENAPI_PATH = '/openapi.json'

/** The routes the gateway answers itself, described like a component's. */
export const GATEWAY_ROUTES: readonly DescribedRoute[] = [
  {
    method: 'GET',
    path: '/health',
    doc: {
      summary: 'Liveness: the process serves requests',
      description: 'Exempt from the bearer token, so a load balancer can probe it.',
      responses: { 200: { description: 'Serving.', schema: HEALTH_SCHEMA } },
      errors: [],
    },
  },
  {
    method: 'GET',
    path: OPENAPI_PATH,
    doc: {
      summary: 'This document: every route, request body, answer and problem code',
      description:
        'Built at start-up from the routes as registered and their compiled body schemas, so limits that come from configuration appear as configured (docs/api.md).',
      responses: {
        200: {
          description: 'An OpenAPI 3.1 document.',
          schema: {
            type: 'object',
            required: ['openapi', 'paths'],
            properties: { openapi: { type: 'string' }, paths: { type: 'object' } },
          },
        },
      },
      errors: ['GATEWAY_UPSTREAM_UNAVAILABLE', 'GATEWAY_UPSTREAM_TIMEOUT'],
    },
  },
]
