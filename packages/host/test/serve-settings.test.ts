import { describe, expect, it } from 'vitest'
import { resolveServeSettings } from '../src/index.ts'

describe('resolveServeSettings', () => {
  it('uses defaults, then env, then flags', () => {
    expect(resolveServeSettings([], {})).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      logLevel: 'info',
      shutdownTimeoutMs: 10_000,
      dataDir: undefined,
    })
    expect(resolveServeSettings([], { LAKEHOUSE_PORT: '9000', LAKEHOUSE_LOG_LEVEL: 'warn' })).toMatchObject({
      port: 9000,
      logLevel: 'warn',
    })
    expect(resolveServeSettings(['--port', '0', '--data-dir', '/tmp/x', '--max-body', '1MiB'], { LAKEHOUSE_PORT: '9000' })).toMatchObject({
      port: 0,
      dataDir: '/tmp/x',
      maxBodyBytes: 1024 * 1024,
    })
  })

  it('refuses bad ports, unknown flags, bad levels and tokenless non-loopback hosts with CONFIG_INVALID', () => {
    for (const argv of [
      ['--port', '65536'],
      ['--port', 'abc'],
      ['--bogus'],
      ['--log-level', 'loud'],
      ['--host', '0.0.0.0'],
      ['--host', '10.0.0.1'],
    ]) {
      expect(() => resolveServeSettings(argv, {}), argv.join(' ')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
    }
    expect(resolveServeSettings(['--host', '::1'], {}).host).toBe('::1')
    expect(resolveServeSettings(['--host', 'localhost'], {}).host).toBe('localhost')
  })
})
