import { SILENT_LOGGER } from '@lakehouse/kit'
import { describe, expect, it } from 'vitest'
import { DUPLICATE_SIGNAL_MS, installShutdown } from '../src/index.ts'

function harness(drain: () => Promise<void>, timeoutMs = 50, clock = { ms: 0 }) {
  const handlers = new Map<string, () => void>()
  const events: string[] = []
  const exited = new Promise<number>((resolve) =>
    installShutdown(
      {
        drain,
        force: () => events.push('force'),
        close: async () => void events.push('close'),
        timeoutMs,
        logger: SILENT_LOGGER,
        now: () => clock.ms,
      },
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
    const clock = { ms: 0 }
    const h = harness(() => new Promise(() => undefined), 10_000, clock)
    h.handlers.get('SIGTERM')?.()
    clock.ms = DUPLICATE_SIGNAL_MS
    h.handlers.get('SIGTERM')?.()
    expect(await h.exited).toBe(1)
  })

  it('exits 1 at once on another signal, however soon', async () => {
    const h = harness(() => new Promise(() => undefined), 10_000)
    h.handlers.get('SIGINT')?.()
    h.handlers.get('SIGTERM')?.()
    expect(await h.exited).toBe(1)
  })

  it('counts the same signal twice within DUPLICATE_SIGNAL_MS once (a Ctrl-C also forwarded by `lakehouse serve`)', async () => {
    const clock = { ms: 1000 }
    let drained: () => void = () => undefined
    const h = harness(() => new Promise<void>((resolve) => (drained = resolve)), 10_000, clock)
    h.handlers.get('SIGINT')?.()
    clock.ms += DUPLICATE_SIGNAL_MS - 1
    h.handlers.get('SIGINT')?.()
    drained()
    expect(await h.exited).toBe(0)
    expect(h.events).toEqual(['close'])
  })
})
