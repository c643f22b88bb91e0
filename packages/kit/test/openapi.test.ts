import { describe, expect, it } from 'vitest'
import {
  answerChecker,
  buildOpenApi,
  compileBodySchema,
  createRouter,
  defineErrors,
  jsonResponse,
  kitErrors,
  openApiPath,
  routesOf,
} from '../src/index.ts'

const thingErrors = defineErrors('thing', {
  THING_NOT_FOUND: { status: 404, title: 'Thing Not Found', description: 'No such thing.' },
  THING_EXISTS: { status: 409, title: 'Thing Exists', description: 'Already there.' },
})
const checkThing = compileBodySchema<{ name: string }>({
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { name: { type: 'string' } },
})
const handler = createRouter()
  .get(
    '/v1/things/:id',
    {
      summary: 'Read a thing',
      pathParams: { id: { description: 'the id' } },
      responses: { 200: { description: 'the thing', schema: { type: 'object' } } },
      errors: ['THING_NOT_FOUND'],
    },
    () => jsonResponse({}),
  )
  .post(
    '/v1/things',
    { summary: 'Make a thing', body: checkThing, responses: { 201: { description: 'made' } }, errors: ['THING_EXISTS'] },
    () => jsonResponse({}, 201),
  )
  .delete(
    '/v1/things/files/*',
    { summary: 'Drop a file', responses: { 204: { description: 'gone' } }, errors: [] },
    () => new Response(null, { status: 204 }),
  )
  .build()

const input = {
  title: 't',
  version: '1',
  sources: [{ tag: 'thing', routes: routesOf(handler) ?? [] }],
  registries: [kitErrors, thingErrors],
  commonErrors: ['INTERNAL'],
  bodyErrors: ['HTTP_BODY_TOO_SLOW'],
}

describe('buildOpenApi', () => {
  it('turns Hono paths into OpenAPI templates', () => {
    expect(openApiPath('/v1/x/:name/items/:id')).toBe('/v1/x/{name}/items/{id}')
    expect(openApiPath('/v1/storage/objects/*')).toBe('/v1/storage/objects/{path}')
  })

  it('publishes the compiled body schema and groups problem codes by status', () => {
    const doc = buildOpenApi(input)
    const post = JSON.parse(JSON.stringify(doc.paths['/v1/things']?.post))
    expect(post.requestBody.content['application/json'].schema).toEqual(checkThing.schema)
    expect(Object.keys(post.responses).sort()).toEqual(['201', '400', '408', '409', '413', '415', '500'])
    expect(post.responses['400'].content['application/problem+json'].schema.allOf[1].properties.code.enum).toEqual([
      'HTTP_INVALID_REQUEST',
      'HTTP_JSON_TOO_DEEP',
      'HTTP_MALFORMED_JSON',
    ])
    const get = JSON.parse(JSON.stringify(doc.paths['/v1/things/{id}']?.get))
    expect(get.parameters).toEqual([{ name: 'id', in: 'path', required: true, description: 'the id', schema: { type: 'string' } }])
    expect(Object.keys(get.responses).sort()).toEqual(['200', '404', '500'])
    expect(doc.paths['/v1/things/files/{path}']?.delete).toBeDefined()
  })

  it('refuses a code no registry defines', () => {
    const bad = createRouter()
      .get('/v1/x', { summary: 'x', responses: { 200: { description: 'ok' } }, errors: ['NOPE_NOT_DEFINED'] }, () => jsonResponse({}))
      .build()
    expect(() => buildOpenApi({ ...input, sources: [{ tag: 'x', routes: routesOf(bad) ?? [] }] })).toThrow(/NOPE_NOT_DEFINED/)
  })
})

describe('answerChecker', () => {
  const check = answerChecker(buildOpenApi(input))
  const problem = (code: string, status: number) =>
    JSON.stringify({ type: `urn:lakehouse:problem:${code}`, title: 't', status, detail: 'd', instance: '/', code })

  it('passes documented answers', () => {
    expect(check({ method: 'GET', path: '/v1/things/7', status: 200, contentType: 'application/json', body: '{}' })).toEqual([])
    expect(
      check({
        method: 'GET',
        path: '/v1/things/7',
        status: 404,
        contentType: 'application/problem+json',
        body: problem('THING_NOT_FOUND', 404),
      }),
    ).toEqual([])
    expect(check({ method: 'DELETE', path: '/v1/things/files/a/b.txt', status: 204, contentType: null, body: '' })).toEqual([])
  })

  it('takes the router’s own 404 and 405 for requests no operation takes', () => {
    expect(
      check({
        method: 'PUT',
        path: '/v1/things/7',
        status: 405,
        contentType: 'application/problem+json',
        body: problem('HTTP_METHOD_NOT_ALLOWED', 405),
      }),
    ).toEqual([])
    expect(
      check({
        method: 'GET',
        path: '/v1/else',
        status: 404,
        contentType: 'application/problem+json',
        body: problem('HTTP_NOT_FOUND', 404),
      }),
    ).toEqual([])
    expect(check({ method: 'PUT', path: '/v1/things/7', status: 200, contentType: 'application/json', body: '{}' })[0]).toMatch(
      /no operation/,
    )
  })

  it('names what is not documented', () => {
    expect(check({ method: 'GET', path: '/v1/nothing', status: 200, contentType: 'application/json', body: '{}' })[0]).toMatch(
      /no operation/,
    )
    expect(
      check({
        method: 'GET',
        path: '/v1/things/7',
        status: 409,
        contentType: 'application/problem+json',
        body: problem('THING_EXISTS', 409),
      })[0],
    ).toMatch(/status not documented/)
    expect(check({ method: 'GET', path: '/v1/things/7', status: 200, contentType: 'application/json', body: '[]' })[0]).toMatch(
      /must be object/,
    )
    expect(
      check({
        method: 'GET',
        path: '/v1/things/7',
        status: 404,
        contentType: 'application/problem+json',
        body: problem('THING_EXISTS', 404),
      })[0],
    ).toMatch(/allowed values/)
  })
})
