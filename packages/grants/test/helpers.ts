import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Journal } from '@lakehouse/journal'
import { afterEach } from 'vitest'
import { createGrantAuthority, type GrantAuthority } from '../src/index.ts'

/** A fixed key, as `provision` would write it (64 lowercase hex characters). */
export const KEY_HEX = '6c616b65686f7573652d6772616e74732d746573742d6b65792d303030303031'
export const KEY = Buffer.from(KEY_HEX, 'hex')
export const OTHER_KEY = Buffer.alloc(32, 7)
export const T0 = Date.parse('2025-01-02T03:04:05.678Z')

/** Temp directories under os.tmpdir(), removed after each test of the file that calls this. */
export function useTempDirs(): () => Promise<string> {
  const made: string[] = []
  afterEach(async () => {
    for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true })
  })
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lakehouse-grants-'))
    made.push(dir)
    return dir
  }
}

/** A settable clock: `clock.t` is what the authority sees as now. */
export interface Clock {
  t: number
  readonly now: () => number
}

export function createClock(t = T0): Clock {
  const clock: Clock = { t, now: () => clock.t }
  return clock
}

export function authority(dir: string, options: { key?: Buffer; clock?: Clock; journal?: Journal } = {}): GrantAuthority {
  return createGrantAuthority({
    dir,
    key: options.key ?? KEY,
    now: (options.clock ?? createClock()).now,
    ...(options.journal === undefined ? {} : { journal: options.journal }),
  })
}

// biome-ignore lint/suspicious/noExplicitAny: test bodies and rejections are inspected freely
export type Json = any

/** Rejection of a promise as a value, so tests can inspect coded Problems. */
export async function rejectionOf(p: Promise<unknown>): Promise<Json> {
  try {
    await p
  } catch (err) {
    return err
  }
  throw new Error('expected the promise to reject')
}

/** The code a promise rejects with. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  return (await rejectionOf(p)).code
}

/** The token's three parts, and the payload decoded. */
export function splitToken(token: string): { prefix: string; payloadPart: string; macPart: string; payload: Json } {
  const [prefix = '', payloadPart = '', macPart = ''] = token.split('.')
  return { prefix, payloadPart, macPart, payload: JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')) }
}

/** Replaces the character at `index` with a different base64url character. */
export function flipChar(text: string, index: number): string {
  const c = text[index]
  return text.slice(0, index) + (c === 'A' ? 'B' : 'A') + text.slice(index + 1)
}
