import type { OpenApiDocument } from '@lakehouse/kit'
import { describe, expect, it } from 'vitest'
import { contractChecker } from '../../src/contract/contract-check.ts'
import { parseContract } from '../../src/contract/load-contract.ts'
import type { Observed } from '../../src/model.ts'

/** Another service's document, in OpenAPI 3.0: a server base path, ranges, `default`, `nullable`, boolean exclusiveMinimum. */
const DOC30 = parseContract(
  JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'shop', version: '2' },
    servers: [{ url: 'https://shop.example/api/v2/' }],
    paths: {
      '/orders/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        summary: 'an order',
        get: {
          responses: {
            '200': {
              description: 'ok',
              content: {
                'application/json; charset=utf-8': {
                  schema: {
                    type: 'object',
                    required: ['id', 'total', 'note'],
                    additionalProperties: false,
                    properties: {
                      id: { type: 'string' },
                      total: { type: 'number', minimum: 0, exclusiveMinimum: true },
                      note: { type: 'string', nullable: true },
                      items: { type: 'array', items: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' } } } },
                    },
                  },
                },
              },
            },
            '4XX': { description: 'client error', content: { 'application/*': { schema: { type: 'object', required: ['message'] } } } },
            default: { description: 'anything else', content: { 'text/plain': {} } },
          },
        },
      },
    },
  }),
  'shop.json',
)

const json = (status: number, body: unknown, type = 'application/json'): Observed => ({
  status,
  headers: { 'content-type': type },
  body: { kind: 'json', text: JSON.stringify(body) },
  latencyMs: 1,
})
const check = contractChecker(DOC30 as OpenApiDocument, 'shop.json')
const found = (path: string, o: Observed, method = 'GET') => check.check({ method, path }, o).map((f) => `${f.path} ${f.shape}`)

describe('contractChecker on another service’s OpenAPI 3.0 document', () => {
  it('passes what the document allows: base path, nullable, ranges, media ranges, default', () => {
    expect(found('/api/v2/orders/o1?x=1', json(200, { id: 'o1', total: 3.5, note: null }))).toEqual([])
    expect(found('/api/v2/orders/o1', json(404, { message: 'no' }, 'application/problem+json'))).toEqual([])
    expect(
      found('/api/v2/orders/o1', {
        status: 503,
        headers: { 'content-type': 'text/plain' },
        body: { kind: 'text', text: 'busy' },
        latencyMs: 1,
      }),
    ).toEqual([])
  })

  it('names each violation with a path and a stable shape', () => {
    expect(found('/api/v2/orders/o1', json(200, { id: 7, total: 0, extra: true, items: [{ sku: 'a' }, {}] }))).toEqual([
      '$.note required→absent',
      '$.extra not allowed→present',
      '$.id string→integer',
      '$.total exclusiveMinimum: must be > 0',
      '$.items[1].sku required→absent',
    ])
    expect(found('/api/v2/orders/o1', json(200, { id: 'o', total: 1, note: 'n' }, 'application/xml'))).toEqual([
      'header:content-type undocumented application/xml',
    ])
    expect(found('/api/v2/orders/o1', { ...json(200, {}), body: { kind: 'json', text: '{' } })).toEqual(['$ not JSON'])
  })

  it('an undocumented route or method is a contract finding', () => {
    expect(found('/api/v2/carts', json(200, {}))).toEqual(['status undocumented operation'])
    expect(found('/api/v2/orders/o1', json(200, {}), 'DELETE')).toEqual(['status undocumented operation'])
    // A target mounted without the server's base path is matched as it is.
    expect(found('/orders/o1', json(200, { id: 'o1', total: 1, note: null }))).toEqual([])
  })

  it('messages say where, what and which document', () => {
    const [f] = check.check({ method: 'GET', path: '/api/v2/orders/o1' }, json(200, { id: 'o1', total: '1', note: null }))
    expect(f).toMatchObject({ class: 'contract', risk: 'breaking', path: '$.total', baseline: 'number', candidate: '1' })
    expect(f?.message).toBe('GET /orders/{id} → 200: $.total must be number (shop.json)')
  })
})

describe('contractChecker on a document with a status not documented', () => {
  it('reports the status with the code in the shape', () => {
    const doc = parseContract(
      'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /x:\n    get:\n      responses:\n        "200": {description: ok}\n',
      'x.yaml',
    )
    const c = contractChecker(doc, 'x.yaml')
    expect(c.check({ method: 'GET', path: '/x' }, json(201, {})).map((f) => `${f.path} ${f.shape}`)).toEqual(['status undocumented 201'])
    expect(c.check({ method: 'HEAD', path: '/x' }, { status: 200, headers: {}, body: { kind: 'empty' }, latencyMs: 1 })).toEqual([])
  })
})
