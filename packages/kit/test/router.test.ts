import { describe, expect, it } from 'vitest'
import { createRouter, jsonResponse, kitErrors, problemMetaOf, type RouteDoc, routesOf } from '../src/index.ts'

const doc = (summary: string): RouteDoc => ({ summary, responses: { 200: { description: 'ok' } }, errors: [] })

const handler = createRouter()
  .get('/v1/things/:id', doc('read a thing'), ({ param }) => jsonResponse({ id: param('id') }))
  .post('/v1/things', doc('make a thing'), () => {
    throw kitErrors.problem('HTTP_INVALID_REQUEST', { detail: 'nope' })
  })
  .put('/v1/boom', doc('fail'), () => {
    throw new Error('secret internals /etc/passwd')
  })
  .build()

const call = (method: string, path: string) => handler(new Request(`http://lakehouse.test${path}`, { method }))

describe('createRouter', () => {
  it('gives its route table back, docs included', () => {
    expect(routesOf(handler)?.map((r) => `${r.method} ${r.path} ${r.doc.summary}`)).toEqual([
      'GET /v1/things/:id read a thing',
      'POST /v1/things make a thing',
      'PUT /v1/boom fail',
    ])
    expect(routesOf(async () => new Response())).toBeUndefined()
  })

  it('routes with decoded params', async () => {
    const res = await call('GET', '/v1/things/a%20b')
    expect(await res.json()).toEqual({ id: 'a b' })
  })

  it('returns a 404 problem for an unknown path', async () => {
    const res = await call('GET', '/v1/nothing')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await res.json()).toMatchObject({
      code: 'HTTP_NOT_FOUND',
      type: 'urn:lakehouse:problem:HTTP_NOT_FOUND',
      instance: '/v1/nothing',
    })
  })

  it('returns a 405 problem with Allow for a known path and another method', async () => {
    const res = await call('DELETE', '/v1/things/1')
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET, HEAD')
    expect((await res.json()).code).toBe('HTTP_METHOD_NOT_ALLOWED')
  })

  it('maps thrown Problems to their status', async () => {
    const res = await call('POST', '/v1/things')
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ code: 'HTTP_INVALID_REQUEST', detail: 'nope', status: 400, title: 'Invalid Request' })
  })

  it('maps unknown errors to INTERNAL without echoing them, keeping the cause for the edge', async () => {
    const res = await call('PUT', '/v1/boom')
    expect(res.status).toBe(500)
    const text = await res.clone().text()
    expect(text).not.toContain('passwd')
    expect(problemMetaOf(res)?.cause).toBeInstanceOf(Error)
  })
})
