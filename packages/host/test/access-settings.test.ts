import { describe, expect, it } from 'vitest'
import { isLoopbackHost, resolveAccess, resolveServeSettings } from '../src/index.ts'

const TOKEN = 'a-token-of-32-characters-0123456'
const flags = (host: string, extra: Partial<Parameters<typeof resolveAccess>[0]> = {}) => ({
  host,
  tokenEnv: undefined,
  allowIp: undefined,
  allowedHosts: undefined,
  allowOrigin: undefined,
  ...extra,
})

function configFailure(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    const p = e as { code?: string; detail?: string }
    expect(p.code).toBe('CONFIG_INVALID')
    return p.detail ?? ''
  }
  throw new Error('expected CONFIG_INVALID')
}

describe('issue 11: non-loopback binds need a bearer token', () => {
  it('refuses 0.0.0.0, a LAN address and a host name without a token, naming the variable and the fix', () => {
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'lakehouse.internal']) {
      const detail = configFailure(() => resolveServeSettings(['--host', host], {}))
      expect(detail, host).toContain('LAKEHOUSE_AUTH_TOKEN')
      expect(detail, host).toContain('bind 127.0.0.1')
    }
  })

  it('starts with a token: the primary and the rotation secondaries are the accepted tokens', () => {
    const s = resolveServeSettings(['--host', '0.0.0.0'], {
      LAKEHOUSE_AUTH_TOKEN: TOKEN,
      LAKEHOUSE_AUTH_TOKEN_SECONDARY: `${TOKEN}-old, ${TOKEN}-older`,
    })
    expect(s.access.tokens).toEqual([TOKEN, `${TOKEN}-old`, `${TOKEN}-older`])
  })

  it('reads the variable --auth-token-env names (and <NAME>_SECONDARY), not the default one', () => {
    const s = resolveServeSettings(['--host', '10.0.0.1', '--auth-token-env', 'MY_TOKEN'], {
      MY_TOKEN: TOKEN,
      MY_TOKEN_SECONDARY: `${TOKEN}-2`,
    })
    expect(s.access.tokens).toEqual([TOKEN, `${TOKEN}-2`])
    const detail = configFailure(() =>
      resolveServeSettings(['--host', '10.0.0.1', '--auth-token-env', 'MY_TOKEN'], { LAKEHOUSE_AUTH_TOKEN: TOKEN }),
    )
    expect(detail).toContain('MY_TOKEN')
    configFailure(() => resolveServeSettings(['--auth-token-env', 'not a name'], {}))
  })

  it('refuses a short or malformed token without quoting it', () => {
    for (const bad of ['short-secret', 'has spaces in the token value', 'ünïcode-token-0123456789']) {
      const detail = configFailure(() => resolveServeSettings([], { LAKEHOUSE_AUTH_TOKEN: bad }))
      expect(detail).toContain('LAKEHOUSE_AUTH_TOKEN')
      expect(detail).not.toContain(bad)
    }
    const detail = configFailure(() => resolveServeSettings([], { LAKEHOUSE_AUTH_TOKEN: TOKEN, LAKEHOUSE_AUTH_TOKEN_SECONDARY: 'tiny' }))
    expect(detail).toContain('LAKEHOUSE_AUTH_TOKEN_SECONDARY')
  })

  it('applies a token on loopback too, when one is set', () => {
    expect(resolveServeSettings([], { LAKEHOUSE_AUTH_TOKEN: TOKEN }).access.tokens).toEqual([TOKEN])
    expect(resolveServeSettings([], {}).access.tokens).toEqual([])
  })

  it('classifies loopback by address: 127/8, ::1, IPv4-mapped loopback and localhost only', () => {
    for (const h of ['127.0.0.1', '127.9.9.9', '::1', '[::1]', '::ffff:127.0.0.1', 'localhost', 'LocalHost'])
      expect(isLoopbackHost(h), h).toBe(true)
    for (const h of ['0.0.0.0', '::', '10.0.0.1', 'localhost.attacker.example', '128.0.0.1']) expect(isLoopbackHost(h), h).toBe(false)
  })
})

describe('issue 11: Host and origin settings', () => {
  it('allows loopback names and the bound address by default; a wildcard bind adds every interface address', () => {
    expect(resolveAccess(flags('127.0.0.1'), {}).allowedHosts).toEqual(['localhost', '127.0.0.1', '::1'])
    expect(resolveAccess(flags('10.0.0.1'), { LAKEHOUSE_AUTH_TOKEN: TOKEN }).allowedHosts).toContain('10.0.0.1')
    const wildcard = resolveAccess(flags('0.0.0.0'), { LAKEHOUSE_AUTH_TOKEN: TOKEN }, () => ['192.168.5.5', 'fe80::1'])
    expect(wildcard.allowedHosts).toEqual(['localhost', '127.0.0.1', '::1', '192.168.5.5', 'fe80::1'])
  })

  it('adds --allowed-hosts names, * turns the check off, junk is refused', () => {
    expect(resolveServeSettings(['--allowed-hosts', 'lakehouse.internal,10.1.1.1'], {}).access.allowedHosts).toContain('lakehouse.internal')
    expect(resolveServeSettings(['--allowed-hosts', '*'], {}).access.allowedHosts).toEqual(['*'])
    configFailure(() => resolveServeSettings(['--allowed-hosts', 'bad host/x'], {}))
  })

  it('refuses --allow-origin * without a token', () => {
    expect(configFailure(() => resolveServeSettings(['--allow-origin', '*'], {}))).toContain('allow-origin')
    expect(resolveServeSettings(['--allow-origin', '*'], { LAKEHOUSE_AUTH_TOKEN: TOKEN }).access.allowedOrigins).toEqual(['*'])
  })

  it('reads the IP allowlist from --allow-ip or LAKEHOUSE_ALLOW_IP', () => {
    expect(resolveServeSettings([], { LAKEHOUSE_ALLOW_IP: '10.0.0.0/8, ::1' }).access.allowIps).toEqual(['10.0.0.0/8', '::1'])
  })
})
