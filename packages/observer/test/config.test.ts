import { readFileSync } from 'node:fs'
import { createMemoryJournal } from '@lakehouse/journal/testing'
import { describe, expect, it } from 'vitest'
import {
  createObserverService,
  NODE_MODE_NAMES,
  OBSERVER_MOUNT,
  observerDefaults,
  observerErrors,
  resolveObserverConfig,
} from '../src/index.ts'

describe('resolveObserverConfig', () => {
  it('returns the documented defaults, frozen', () => {
    const c = resolveObserverConfig()
    expect(c).toEqual(observerDefaults)
    expect(Object.isFrozen(c)).toBe(true)
    expect(c).toMatchObject({
      ringCapacity: 10_000,
      maxEventBytes: 16 * 1024,
      maxBatchEvents: 1000,
      defaultPageLimit: 100,
      maxPageLimit: 1000,
      maxNodes: 64,
      nodeConcurrency: 4,
      nodeTimeoutMs: 30_000,
      workflowTimeoutMs: 60_000,
      maxRunRecordBytes: 64 * 1024,
      maxRuns: 1000,
    })
  })

  it.each([
    [{ ringCapacity: 0 }, 'observer.ringCapacity'],
    [{ maxEventBytes: 300 * 1024 }, 'observer.maxEventBytes'],
    [{ maxNodes: 129 }, 'observer.maxNodes'],
    [{ nodeTimeoutMs: 1.5 }, 'observer.nodeTimeoutMs'],
    [{ maxRunRecordBytes: 1024 }, 'observer.maxRunRecordBytes'],
    [{ defaultPageLimit: 50, maxPageLimit: 10 }, 'observer.defaultPageLimit'],
  ])('throws CONFIG_INVALID for %j', (input, key) => {
    expect(() => resolveObserverConfig(input)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', extensions: { key } }))
  })

  it('refuses a bad config at create time', async () => {
    await expect(
      createObserverService({ ringCapacity: -1 }, { journal: createMemoryJournal(), dispatch: async () => new Response() }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    })
  })
})

describe('observerErrors', () => {
  const doc = readFileSync(new URL('../../../docs/observer.md', import.meta.url), 'utf8')

  it('pins the registry: codes and statuses', () => {
    expect(Object.fromEntries(Object.entries(observerErrors.specs).map(([code, spec]) => [code, spec.status]))).toEqual({
      OBSERVER_EVENT_TOO_LARGE: 413,
      OBSERVER_WORKFLOW_INVALID: 400,
      OBSERVER_WORKFLOW_TOO_LARGE: 400,
      OBSERVER_UNKNOWN_MODE: 400,
      OBSERVER_DUPLICATE_NODE: 400,
      OBSERVER_UNKNOWN_DEPENDENCY: 400,
      OBSERVER_REF_INVALID: 400,
      OBSERVER_WORKFLOW_CYCLE: 400,
      OBSERVER_RUN_NOT_FOUND: 404,
      OBSERVER_BUSY: 503,
      OBSERVER_CLOSED: 503,
      OBSERVER_REF_UNRESOLVED: 422,
      OBSERVER_NODE_TIMEOUT: 504,
      OBSERVER_WORKFLOW_TIMEOUT: 504,
      OBSERVER_NODE_BAD_RESPONSE: 502,
      OBSERVER_NODE_OUTPUT_TOO_LARGE: 502,
    })
  })

  it('documents every code, every mode and the mount in docs/observer.md', () => {
    for (const code of Object.keys(observerErrors.specs)) expect(doc).toContain(`\`${code}\``)
    for (const mode of NODE_MODE_NAMES) expect(doc).toContain(`\`${mode}\``)
    expect(doc).toContain(OBSERVER_MOUNT)
  })
})
