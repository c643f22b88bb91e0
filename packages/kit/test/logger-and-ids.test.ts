import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createLogger, LAKEHOUSE_VERSION, requestIdFor } from '../src/index.ts'

describe('createLogger', () => {
  it('writes one JSON object per line with bindings and serialised errors, filtered by level', () => {
    const lines: string[] = []
    const log = createLogger({ level: 'info', sink: (l) => lines.push(l), now: () => new Date(0) }).child({ component: 'x' })
    log.debug('hidden')
    log.info('hello', { n: 1n })
    log.error('bad', { err: new Error('boom') })
    expect(lines).toHaveLength(2)
    expect(lines.every((l) => l.endsWith('\n'))).toBe(true)
    expect(JSON.parse(lines[0] ?? '')).toEqual({ ts: '1970-01-01T00:00:00.000Z', level: 'info', msg: 'hello', component: 'x', n: 1 })
    expect(JSON.parse(lines[1] ?? '').err).toMatchObject({ name: 'Error', message: 'boom' })
  })
})

describe('requestIdFor', () => {
  it('honours a well-formed id and replaces a hostile one', () => {
    expect(requestIdFor(new Headers({ 'x-request-id': 'abc-123' }))).toBe('abc-123')
    expect(requestIdFor(new Headers({ 'x-request-id': 'a b"c' }))).toMatch(/^[0-9a-f-]{36}$/)
    expect(requestIdFor(new Headers({ 'x-request-id': 'x'.repeat(200) }))).toMatch(/^[0-9a-f-]{36}$/)
    expect(requestIdFor(new Headers())).toMatch(/^[0-9a-f-]{36}$/)
  })
})

describe('LAKEHOUSE_VERSION', () => {
  it('matches the root package.json', () => {
    const root = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(LAKEHOUSE_VERSION).toBe(root.version)
  })
})
