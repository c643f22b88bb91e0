import { describe, expect, it } from 'vitest'
import {
  AUTH_TOKEN_ENV,
  bearerAuthorization,
  bearerTokenOf,
  clientToken,
  quoteCallerText,
  secondaryTokensEnv,
  tokenProblem,
} from '../src/index.ts'

describe('the bearer-token contract', () => {
  it('reads the token after a case-insensitive Bearer scheme, and nothing else', () => {
    expect(bearerTokenOf('Bearer abc.DEF-123')).toBe('abc.DEF-123')
    expect(bearerTokenOf('bearer   abc')).toBe('abc')
    expect(bearerTokenOf(bearerAuthorization('xyz'))).toBe('xyz')
    for (const other of [null, undefined, '', 'Bearer', 'Bearer ', 'Basic abc', 'Bearer a b', 'Bearerabc'])
      expect(bearerTokenOf(other), String(other)).toBeUndefined()
  })

  it('accepts RFC 6750 b64tokens of at least 16 characters and says why others fail, without quoting them', () => {
    expect(tokenProblem('0123456789abcdef')).toBeUndefined()
    expect(tokenProblem('abcDEF012345+/._~-==')).toBeUndefined()
    expect(tokenProblem('short')).toContain('at least 16')
    for (const bad of ['has a space 0123456789', 'semi;colon-0123456789', 'ünïcode-0123456789abc', '=leading-equals-0123456']) {
      const why = tokenProblem(bad)
      expect(why, bad).toBeDefined()
      expect(why).not.toContain(bad)
    }
  })

  it('names the variables and picks the client token: flag, else env, else none', () => {
    expect(AUTH_TOKEN_ENV).toBe('LAKEHOUSE_AUTH_TOKEN')
    expect(secondaryTokensEnv('MY_TOKEN')).toBe('MY_TOKEN_SECONDARY')
    expect(clientToken('flag', { [AUTH_TOKEN_ENV]: 'env' })).toBe('flag')
    expect(clientToken(undefined, { [AUTH_TOKEN_ENV]: 'env' })).toBe('env')
    expect(clientToken('', { [AUTH_TOKEN_ENV]: '' })).toBeUndefined()
  })
})

describe('quoteCallerText', () => {
  it('JSON-quotes and cuts long text', () => {
    expect(quoteCallerText('a"b\nc')).toBe('"a\\"b\\nc"')
    expect(quoteCallerText('x'.repeat(100))).toBe(JSON.stringify(`${'x'.repeat(80)}…`))
  })
})
