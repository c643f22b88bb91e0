import { BlockList, isIP } from 'node:net'
import { networkInterfaces } from 'node:os'
import { type AccessConfig, ANY_HOST, LOOPBACK_HOST_NAMES } from '@lakehouse/gateway'
import { AUTH_TOKEN_ENV, configError, secondaryTokensEnv, tokenProblem } from '@lakehouse/kit'
import type { Env } from './serve-settings.ts'

// 127/8 and ::1; BlockList also matches the IPv4-mapped form (::ffff:127.0.0.1).
const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')
const WILDCARD = new Set(['0.0.0.0', '::', '[::]'])
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Only literal loopback addresses and `localhost` count; any other name could resolve anywhere. */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true
  const address = host.replace(/^\[(.*)\]$/, '$1')
  const family = isIP(address)
  return family !== 0 && LOOPBACK.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

/** Flag values for the access settings, before env fallbacks (already picked by the caller). */
export interface AccessFlags {
  readonly host: string
  readonly tokenEnv: string | undefined
  readonly allowIp: string | undefined
  readonly allowedHosts: string | undefined
  readonly allowOrigin: string | undefined
  /** A split deployment's service token (already checked), accepted like an API token. */
  readonly serviceToken?: string | undefined
}

function list(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

/** The addresses a wildcard bind answers on, as a client would write them in `Host`. */
export function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .map((e) => e.address.replace(/%.*$/, ''))
}

function tokensFrom(env: Env, tokenEnv: string): string[] {
  const primary = env[tokenEnv]
  const secondaryName = secondaryTokensEnv(tokenEnv)
  const tokens: string[] = []
  if (primary !== undefined && primary !== '') {
    const problem = tokenProblem(primary)
    if (problem !== undefined) configError(tokenEnv, `the token ${problem}`)
    tokens.push(primary)
  }
  for (const [i, secondary] of list(env[secondaryName]).entries()) {
    const problem = tokenProblem(secondary)
    if (problem !== undefined) configError(secondaryName, `secondary token ${i + 1} ${problem}`)
    tokens.push(secondary)
  }
  return tokens
}

/**
 * Maps the access flags and env to the gateway's AccessConfig and enforces the bind rule of
 * DESIGN.md §5: an address other than loopback is only served with a bearer token.
 */
export function resolveAccess(flags: AccessFlags, env: Env, interfaces: () => string[] = interfaceAddresses): AccessConfig {
  const tokenEnv = flags.tokenEnv ?? AUTH_TOKEN_ENV
  if (!ENV_NAME.test(tokenEnv)) configError('auth-token-env', `${JSON.stringify(tokenEnv)} is not an environment variable name`)
  // The service token of a split deployment opens the public routes too: proxied requests carry it.
  const tokens = [...tokensFrom(env, tokenEnv), ...(flags.serviceToken === undefined ? [] : [flags.serviceToken])]
  const loopback = isLoopbackHost(flags.host)
  if (!loopback && tokens.length === 0) {
    configError(
      'host',
      `${flags.host} is not a loopback address and no bearer token is set, so anyone on the network could write here; ` +
        `set ${tokenEnv} to a secret of at least 16 characters (for example ${tokenEnv}=$(openssl rand -hex 32)) or bind 127.0.0.1`,
    )
  }

  const allowedOrigins = list(flags.allowOrigin)
  if (allowedOrigins.includes('*') && tokens.length === 0) {
    configError('allow-origin', `"*" without a bearer token would let any web page write here; list the origins, or set ${tokenEnv}`)
  }

  const configuredHosts = list(flags.allowedHosts)
  const bound = flags.host.replace(/^\[(.*)\]$/, '$1')
  const boundHosts = WILDCARD.has(flags.host) ? interfaces() : [bound]
  const allowedHosts = configuredHosts.includes(ANY_HOST)
    ? [ANY_HOST]
    : [...new Set([...LOOPBACK_HOST_NAMES, ...boundHosts, ...configuredHosts])]
  for (const h of configuredHosts) {
    if (h !== ANY_HOST && !/^[A-Za-z0-9.-]+$/.test(h) && isIP(h.replace(/^\[(.*)\]$/, '$1')) === 0) {
      configError('allowed-hosts', `${JSON.stringify(h)} is not a host name or IP address`)
    }
  }
  return { tokens, allowIps: list(flags.allowIp), allowedHosts, allowedOrigins }
}
