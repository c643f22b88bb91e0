import { SILENT_LOGGER } from '@lakehouse/kit'
import { describe, expect, it } from 'vitest'
import { installShutdown } from '../src/index.ts'

function harness(drain: () => Promise<void>, timeoutMs = 50) {
  const handlers = new Map<string, () => void>()
  const events: string[] = []
  const exited = new Promise<number>((resolve) =>
    installShutdown(
      { drain, force: () => events.push('force'), close: async () => void events.push('close'), timeoutMs, logger: SILENT_LOGGER },
      resolve,
      (signal, fn) => handlers.set(signal, fn),
    ),
  )
  return { handlers, events, exited }
}

describe('installShutdown', () => {
  it('drains, closes and exits 0', async () => {
    const h = harness(async () => void 0)
    h.handlers.get('SIGTERM')?.()
    expect(await h.exited).toBe(0)
    expect(h.events).toEqual(['close'])
  })

  it('forces open connections when draining outlives the timeout', async () => {
    const h = harness(() => new Promise(() => undefined), 20)
    h.handlers.get('SIGINT')?.()
    expect(await h.exited).toBe(0)
    expect(h.events).toEqual(['force', 'close'])
  })

  it('exits 1 on a second signal', async () => {
    const h = harness(() => new Promise(() => undefined), 10_000)
    h.handlers.get('SIGTERM')?.()
    h.handlers.get('SIGTERM')?.()
    expect(await h.exited).toBe(1)
  })
})
