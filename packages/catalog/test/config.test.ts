import { createMemoryObjectStore } from '@lakehouse/storage/testing'
import { describe, expect, it } from 'vitest'
import { catalogDefaults, catalogErrors, resolveCatalogConfig } from '../src/index.ts'
import { rejectionOf, service } from './helpers.ts'

describe('resolveCatalogConfig', () => {
  it('spreads the defaults and freezes the result', () => {
    const c = resolveCatalogConfig({ listPageSize: 50 })
    expect(c).toEqual({ ...catalogDefaults, listPageSize: 50 })
    expect(Object.isFrozen(c)).toBe(true)
  })

  it.each([
    ['listPageSize', 20_000],
    ['listPageSize', 0],
    ['maxColumns', 1.5],
    ['rehydrateConcurrency', 0],
    ['retryAfterSeconds', -1],
  ])('refuses %s = %s with CONFIG_INVALID', async (key, value) => {
    expect(() => resolveCatalogConfig({ [key]: value })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
    const err = await rejectionOf(service(createMemoryObjectStore(), { [key]: value }))
    expect(err.detail).toContain(`catalog.${key}`)
  })
})

describe('catalogErrors', () => {
  it('pins the codes and their statuses, each with a description', () => {
    const pinned = Object.entries(catalogErrors.specs).map(([code, s]) => [code, s.status])
    expect(pinned).toEqual([
      ['CATALOG_INVALID_NAME', 400],
      ['CATALOG_NOT_FOUND', 404],
      ['CATALOG_SCHEMA_CONFLICT', 409],
      ['CATALOG_REPLACE_VIA_INGEST', 409],
      ['CATALOG_INVALID_VERSION', 400],
      ['CATALOG_VERSION_NOT_FOUND', 404],
      ['CATALOG_DATASET_BUSY', 409],
      ['CATALOG_VERSION_UNAVAILABLE', 409],
      ['CATALOG_FINGERPRINT_MISMATCH', 422],
      ['CATALOG_OBJECT_KEY_MISMATCH', 422],
      ['CATALOG_OBJECT_MISSING', 422],
      ['CATALOG_OBJECT_UNREADABLE', 422],
      ['CATALOG_OBJECT_MISMATCH', 422],
      ['CATALOG_DATASET_UNREADABLE', 503],
      ['CATALOG_PERSIST_FAILED', 503],
      ['CATALOG_REHYDRATE_FAILED', 503],
    ])
    for (const spec of Object.values(catalogErrors.specs)) expect(spec.description.length).toBeGreaterThan(20)
    expect(catalogErrors.component).toBe('catalog')
  })
})
