import { readFileSync } from 'node:fs'
import { createKeyedMutex, createSlots } from '@lakehouse/kit'
import { describe, expect, it } from 'vitest'
import {
  compareKeys,
  keyViolation,
  MAX_KEY_BYTES,
  prefixViolation,
  RESERVED_PREFIXES,
  resolveStorageConfig,
  storageDefaults,
  storageErrors,
} from '../src/index.ts'

const LONG_KEYS: Record<string, string> = {
  '<1025 × "x">': 'x'.repeat(MAX_KEY_BYTES + 1),
  '<513 × "é">': 'é'.repeat(513),
  '<256 × "y">/z': `${'y'.repeat(256)}/z`,
}

describe('keyViolation', () => {
  it.each([
    ['', 'empty'],
    ['/a', 'leading_slash'],
    ['a/', 'trailing_slash'],
    ['a//b', 'empty_segment'],
    ['..', 'dot_segment'],
    ['.', 'dot_segment'],
    ['a/../b', 'dot_segment'],
    ['a/./b', 'dot_segment'],
    ['a\u0000', 'nul'],
    ['a\r', 'control_character'],
    ['a\n', 'control_character'],
    ['a\t', 'control_character'],
    ['a\u007f', 'control_character'],
    ['a\ud800', 'lone_surrogate'],
    ['\udc00a', 'lone_surrogate'],
    ['<1025 × "x">', 'too_long'],
    ['<513 × "é">', 'too_long'],
    ['<256 × "y">/z', 'segment_too_long'],
    ['.tmp/a', 'reserved_segment'],
    ['.meta', 'reserved_segment'],
    // issue 11: on a case-insensitive file system these are the backend's own directories
    ['.TMP/a', 'reserved_segment'],
    ['.Meta/x', 'reserved_segment'],
  ])('rejects %j as %s', (label, reason) => {
    const key = LONG_KEYS[label] ?? label
    expect(keyViolation(key)?.reason).toBe(reason)
  })

  it('accepts ordinary, dotted, unicode and maximal keys', () => {
    for (const key of [
      'a',
      'a/b/c.parquet',
      '...',
      '..a',
      'a..',
      '.tmpx',
      'x/.tmp',
      'ü/😀',
      'with space',
      'x'.repeat(255),
      '_system/state.json',
    ]) {
      expect(keyViolation(key), key).toBeUndefined()
    }
  })
})

describe('prefixViolation', () => {
  it('accepts empty and partial prefixes', () => {
    for (const prefix of ['', 'a', 'a/', 'a/b', 'a/.', 'a/..', '.', '.tmp/']) expect(prefixViolation(prefix)).toBeUndefined()
  })

  it('applies the key rules to complete segments', () => {
    expect(prefixViolation('../x')?.reason).toBe('dot_segment')
    expect(prefixViolation('a//')?.reason).toBe('empty_segment')
    expect(prefixViolation('/a')?.reason).toBe('leading_slash')
    expect(prefixViolation('a\nb')?.reason).toBe('control_character')
  })
})

describe('compareKeys', () => {
  it('orders keys by UTF-8 bytes, as S3 lists them', () => {
    const keys = ['\uFFFD', '\u{1F600}', 'a/b', 'a-c', 'ab', 'A', 'é', '', 'a']
    const expected = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)))
    expect([...keys].sort(compareKeys)).toEqual(expected)
    expect(compareKeys('\uFFFD', '\u{1F600}')).toBeLessThan(0)
  })
})

describe('createSlots', () => {
  it('refuses at once when full and frees a slot on release, once', () => {
    const slots = createSlots(2)
    const a = slots.tryAcquire()
    const b = slots.tryAcquire()
    expect(slots.tryAcquire()).toBeUndefined()
    a?.()
    a?.()
    expect(slots.inUse).toBe(1)
    expect(slots.tryAcquire()).toBeDefined()
    expect(slots.tryAcquire()).toBeUndefined()
    b?.()
  })
})

describe('createKeyedMutex', () => {
  it('serialises work per key and lets other keys run', async () => {
    const mutex = createKeyedMutex()
    const order: string[] = []
    // No timers: `a` holds its key until `c` (another key) has finished, whatever the host's load.
    let releaseA: () => void = () => undefined
    const aHeld = new Promise<void>((r) => {
      releaseA = r
    })
    const a = mutex.run('k', async () => {
      order.push('a+')
      await aHeld
      order.push('a-')
    })
    const b = mutex.run('k', async () => {
      order.push('b+')
      order.push('b-')
    })
    await mutex.run('other', async () => {
      order.push('c+')
      order.push('c-')
    })
    releaseA()
    await Promise.all([a, b])
    expect(order.indexOf('a-')).toBeLessThan(order.indexOf('b+'))
    expect(order.indexOf('c-')).toBeLessThan(order.indexOf('a-'))
    await expect(mutex.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await mutex.run('k', async () => 'still usable')).toBe('still usable')
  })
})

describe('resolveStorageConfig', () => {
  it('fills defaults and freezes the result', () => {
    const config = resolveStorageConfig()
    expect(config).toEqual(storageDefaults)
    expect(Object.isFrozen(config)).toBe(true)
  })

  it.each([
    [{ putSlots: 0 }, 'storage.putSlots'],
    [{ putSlots: 1.5 }, 'storage.putSlots'],
    [{ maxObjectBytes: -1 }, 'storage.maxObjectBytes'],
    [{ listCap: 0 }, 'storage.listCap'],
    [{ busyRetryAfterS: 0 }, 'storage.busyRetryAfterS'],
  ])('refuses %j with CONFIG_INVALID naming %s', (input, key) => {
    expect(() => resolveStorageConfig(input)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', extensions: { key } }))
  })

  it('lowers the default list limit to a smaller cap', () => {
    expect(resolveStorageConfig({ listCap: 50 }).listDefaultLimit).toBe(50)
  })
})

describe('storageErrors', () => {
  it('pins the registry', () => {
    const codes = Object.entries(storageErrors.specs).map(([code, spec]) => [code, spec.status])
    expect(codes).toEqual([
      ['STORAGE_INVALID_KEY', 400],
      ['STORAGE_INVALID_LIMIT', 400],
      ['STORAGE_NOT_FOUND', 404],
      ['STORAGE_RESERVED_KEY', 403],
      ['STORAGE_KEY_CONFLICT', 409],
      ['STORAGE_TOO_LARGE', 413],
      ['STORAGE_UPLOAD_INCOMPLETE', 400],
      ['STORAGE_BUSY', 503],
      ['STORAGE_INSUFFICIENT_SPACE', 507],
      ['STORAGE_BACKEND_UNAVAILABLE', 503],
      ['STORAGE_BACKEND_ERROR', 500],
    ])
  })

  it('documents every code and every reserved prefix in docs/storage.md', () => {
    const doc = readFileSync(new URL('../../../docs/storage.md', import.meta.url), 'utf8')
    for (const code of Object.keys(storageErrors.specs)) expect(doc, code).toContain(`\`${code}\``)
    for (const prefix of RESERVED_PREFIXES) expect(doc, prefix).toContain(`\`${prefix}\``)
  })
})
