import { describe, expect, it } from 'vitest'
import type { ReportedCase } from '../../src/model.ts'
import { createCaseStore } from '../../src/shadow/case-store.ts'
import { requestHeadersFor } from '../../src/shadow/forward-headers.ts'
import { createMirrorQueue } from '../../src/shadow/mirror-queue.ts'
import { parseHeaderFlag } from '../../src/targets/header-flag.ts'

function reportedCase(n: number, diverges: boolean): ReportedCase {
  const divergence = {
    class: 'value' as const,
    risk: 'medium' as const,
    path: '$.a',
    baseline: 'x'.repeat(1000),
    candidate: 'y',
    shape: 'string',
    message: 'differs',
    id: 'pd-0123456789',
    findingId: 'pf-0123456789',
    caseId: `shadow.${n}`,
    component: 'shadow',
    step: 'request',
    pair: ['primary', 'candidate'] as const,
    known: false,
  }
  return {
    id: `shadow.${n}`,
    title: 'GET /',
    component: 'shadow',
    tags: [],
    file: '(live traffic)',
    outcome: diverges ? 'divergent' : 'parity',
    latencyMs: {},
    steps: [
      {
        name: 'request',
        method: 'GET',
        path: '/',
        endpoint: 'GET /',
        requestBodyPreview: 'body',
        responses: { primary: { status: 200, headers: {}, body: 'x'.repeat(5000), bodyKind: 'text', truncated: false, latencyMs: 1 } },
        divergences: diverges ? [divergence] : [],
        noise: [],
        ignored: [],
      },
    ],
  }
}

describe('createMirrorQueue', () => {
  it('holds at most cap tasks, runs at most concurrency at once, and frees a slot when a task settles', async () => {
    const q = createMirrorQueue(3, 2)
    let running = 0
    let most = 0
    const releases: (() => void)[] = []
    const task = () =>
      new Promise<void>((resolve) => {
        running++
        most = Math.max(most, running)
        releases.push(() => {
          running--
          resolve()
        })
      })
    const done = [q.offer(task), q.offer(task), q.offer(task)]
    expect(q.hasRoom()).toBe(false)
    expect(() => q.offer(task)).toThrow(/full/)
    await new Promise((r) => setImmediate(r))
    expect(running).toBe(2)
    releases.shift()?.()
    await done[0]
    expect(q.hasRoom()).toBe(true)
    for (let i = 0; i < 5 && releases.length > 0; i++) {
      releases.shift()?.()
      await new Promise((r) => setImmediate(r))
    }
    await Promise.all(done)
    await q.idle()
    expect(most).toBe(2)
    expect(q.highWater).toBe(3)
    expect(q.size).toBe(0)
  })
})

describe('createCaseStore', () => {
  it('keeps the first cases whole, the next slim, and only counts the rest — with their exit code', () => {
    const store = createCaseStore(2, 3, 'any')
    for (let i = 0; i < 8; i++) store.add(reportedCase(i, i === 7))
    const kept = store.cases()
    expect(kept).toHaveLength(5)
    expect(Object.keys(kept[1]?.steps[0]?.responses ?? {})).toEqual(['primary'])
    expect(kept[2]?.steps[0]?.responses).toEqual({})
    expect(kept[2]?.steps[0]?.requestBodyPreview).toBeUndefined()
    expect(store.unreported).toBe(3)
    expect(store.unreportedExit).toBe(1)
  })

  it('cuts long divergence values of slim cases to a preview', () => {
    const store = createCaseStore(0, 1, 'any')
    store.add(reportedCase(1, true))
    const d = store.cases()[0]?.steps[0]?.divergences[0]
    expect(String(d?.baseline)).toMatch(/^x{200}… \(1000 characters\)$/)
    expect(d?.candidate).toBe('y')
  })
})

describe('forward headers', () => {
  it('drops hop-by-hop headers and host, applies the target’s own, and removes a header given empty', () => {
    const out = requestHeadersFor(
      { host: 'proxy', connection: 'keep-alive', 'content-length': '3', authorization: 'Bearer client', accept: 'application/json' },
      { Authorization: '', 'X-Env': 'canary' },
      false,
    )
    expect(out).toEqual({ accept: 'application/json', 'x-env': 'canary' })
  })

  it('parses Name: value flags', () => {
    expect(parseHeaderFlag('Authorization: Bearer a:b')).toEqual(['authorization', 'Bearer a:b'])
    expect(parseHeaderFlag('X-Empty:')).toEqual(['x-empty', ''])
    expect(parseHeaderFlag('no colon')).toBeUndefined()
    expect(parseHeaderFlag('bad name: x')).toBeUndefined()
  })
})

describe('createMirrorQueue.abandonWaiting', () => {
  it('rejects the waiting mirrors without running them, leaves those in flight, and frees their room', async () => {
    const q = createMirrorQueue(5, 2)
    const ran: number[] = []
    const releases: (() => void)[] = []
    const results = Array.from({ length: 5 }, (_, i) =>
      q
        .offer(
          () =>
            new Promise<number>((resolve) => {
              ran.push(i)
              releases.push(() => resolve(i))
            }),
        )
        .then(
          (v) => `done ${v}`,
          (e: Error) => e.message,
        ),
    )
    await Promise.resolve()
    expect(q.hasRoom()).toBe(false)
    expect(q.abandonWaiting(new Error('stopped'))).toBe(3)
    for (const r of releases) r()
    expect(await Promise.all(results)).toEqual(['done 0', 'done 1', 'stopped', 'stopped', 'stopped'])
    expect(ran).toEqual([0, 1])
    expect(q.size).toBe(0)
    expect(q.abandonWaiting(new Error('again'))).toBe(0)
  })
})
