import { createMemoryJournal } from '@lakehouse/journal/testing'
import { describe, expect, it } from 'vitest'
import { MEMORY_MOUNT, memoryDefaults, memoryErrors, resolveMemoryConfig } from '../src/index.ts'
import { rejectionOf, service } from './helpers.ts'

describe('resolveMemoryConfig', () => {
  it('spreads the defaults and freezes the result', () => {
    const c = resolveMemoryConfig({ checkpointEvery: 50 })
    expect(c).toEqual({ ...memoryDefaults, checkpointEvery: 50 })
    expect(Object.isFrozen(c)).toBe(true)
    expect(memoryDefaults).toMatchObject({
      maxContentChars: 16 * 1024,
      maxTags: 32,
      maxTagChars: 64,
      maxKeyChars: 200,
      checkpointEvery: 10_000,
    })
    expect(MEMORY_MOUNT).toBe('/v1/memory')
  })

  it.each([
    ['maxContentChars', 0],
    ['maxContentChars', 64 * 1024],
    ['maxTags', 1.5],
    ['checkpointEvery', -1],
    ['maxSearchLimit', 0],
    ['defaultSearchLimit', 500],
    ['maxBodyBytes', 10],
  ])('refuses %s = %s with CONFIG_INVALID', async (key, value) => {
    expect(() => resolveMemoryConfig({ [key]: value })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
    const err = await rejectionOf(service(createMemoryJournal(), { config: { [key]: value } }))
    expect(err.detail).toContain(`memory.${key}`)
  })
})

describe('memoryErrors', () => {
  it('pins the codes and their statuses, each with a description', () => {
    const pinned = Object.entries(memoryErrors.specs).map(([code, s]) => [code, s.status])
    expect(pinned).toEqual([
      ['MEMORY_INVALID_UID', 400],
      ['MEMORY_NOT_FOUND', 404],
      ['MEMORY_PREDECESSOR_NOT_FOUND', 404],
      ['MEMORY_REV_CONFLICT', 409],
      ['MEMORY_RETIRED', 409],
      ['MEMORY_HISTORY_CYCLE', 409],
      ['MEMORY_CLOSED', 503],
      ['MEMORY_CHECKPOINT_INVALID', 503],
    ])
    for (const spec of Object.values(memoryErrors.specs)) expect(spec.description.length).toBeGreaterThan(20)
    expect(memoryErrors.component).toBe('memory')
  })
})
