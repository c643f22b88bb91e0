import { describe, expect, it } from 'vitest'
import { endpointOf, looksLikeId } from '../../src/findings/endpoint.ts'

describe('endpointOf', () => {
  it('turns placeholders into {id} whatever the variable is called', () => {
    expect(endpointOf('get', '/v1/memory/traces/{{first}}/history')).toBe('GET /v1/memory/traces/{id}/history')
    expect(endpointOf('GET', '/v1/memory/traces/{{ trace_id }}')).toBe('GET /v1/memory/traces/{id}')
    expect(endpointOf('GET', '/files/{{name}}.txt')).toBe('GET /files/{id}.txt')
  })

  it('generalises literal ids and keeps names', () => {
    expect(endpointOf('GET', '/posts/42')).toBe('GET /posts/{id}')
    expect(endpointOf('GET', '/posts/42/comments')).toBe('GET /posts/{id}/comments')
    expect(endpointOf('DELETE', '/v1/memory/traces/00000000-0000-4000-8000-000000000000')).toBe('DELETE /v1/memory/traces/{id}')
    expect(endpointOf('GET', '/v1/vector/indexes/parity_workers/search')).toBe('GET /v1/vector/indexes/parity_workers/search')
    expect(endpointOf('GET', '/v1/storage/objects/parity/notes/a.txt')).toBe('GET /v1/storage/objects/parity/notes/a.txt')
  })

  it('drops the query and fragment, and names the root', () => {
    expect(endpointOf('GET', '/posts?_page=2&userId=1')).toBe('GET /posts')
    expect(endpointOf('GET', '/v1/observer/events?since={{first_seq}}&limit=10')).toBe('GET /v1/observer/events')
    expect(endpointOf('GET', '?x=1')).toBe('GET /')
    expect(endpointOf('GET', '/a#frag')).toBe('GET /a')
  })
})

describe('looksLikeId', () => {
  it.each([
    ['42', true],
    ['W00042', true],
    ['0f9a8b7c6d', true],
    ['2026-12-05', true],
    ['01HZX3K5M8Q2R4T6V8W0Y2A4C6', true],
    ['v1', false],
    ['v2beta', false],
    ['parity_workers', false],
    ['a.txt', false],
    ['workers', false],
    ['', false],
  ])('%s → %s', (segment, id) => {
    expect(looksLikeId(segment)).toBe(id)
  })
})
