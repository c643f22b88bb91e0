import { describe, expect, it } from 'vitest'
import { DATASET_NAMESPACE, datasetIdFor, uuidV5 } from '../src/index.ts'

const DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8'
const URL_NS = '6ba7b811-9dad-11d1-80b4-00c04fd430c8'

describe('uuidV5', () => {
  it('matches the RFC 9562 appendix A.4 example (DNS namespace, www.example.com)', () => {
    expect(uuidV5(DNS, 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2')
  })

  // Cross-checked with Python's uuid.uuid5, an independent implementation.
  it.each([
    [DNS, 'python.org', '886313e1-3b8a-5372-9b90-0c9aee199e5d'],
    [URL_NS, 'http://python.org/', '4c565f0d-3f5a-5890-b41b-20cf47701c5e'],
    [DNS, 'héllo', '5ca283f8-ff14-58cb-ba86-bf52120a3414'],
  ])('matches an independent implementation for %s / %s', (ns, name, expected) => {
    expect(uuidV5(ns, name)).toBe(expected)
  })

  it('sets version 5 and the RFC variant bits', () => {
    for (const name of ['a', 'b', 'workers', 'x'.repeat(500)]) {
      const id = uuidV5(DNS, name)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    }
  })

  it('accepts an upper-case namespace and refuses a malformed one', () => {
    expect(uuidV5(DNS.toUpperCase(), 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2')
    expect(() => uuidV5('not-a-uuid', 'x')).toThrow(TypeError)
  })
})

describe('datasetIdFor', () => {
  it('is UUIDv5 over the pinned namespace (every id ever issued depends on it)', () => {
    expect(DATASET_NAMESPACE).toBe('a8f3c1d2-4e5b-5a6c-9d8e-7f0a1b2c3d4e')
    expect(datasetIdFor('workers')).toBe('4ee908eb-05e4-5c26-a4ad-4ca54bb01062')
    expect(datasetIdFor('sales_2024')).toBe('6a616fc8-6dbf-5872-9482-880dfeadf31c')
    expect(datasetIdFor('a')).toBe('e407b3cd-f733-5b16-8857-e7238483c721')
  })
})
