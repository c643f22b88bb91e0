import { isIP } from 'node:net'

/** Names every loopback bind answers to; the bound address and --allowed-hosts are added by the host. */
export const LOOPBACK_HOST_NAMES: readonly string[] = Object.freeze(['localhost', '127.0.0.1', '::1'])

/** `--allowed-hosts *` turns the check off (behind a proxy that rewrites Host, say). */
export const ANY_HOST = '*'

export interface HostAllowlist {
  /** True when the request's `Host` names an allowed host (or there is no Host: not a browser). */
  allows(hostHeader: string | null): boolean
  /** For the refusal detail. */
  readonly names: readonly string[]
}

/** `[::1]:8080` → `::1`, `Example.COM:80` → `example.com`; ports do not matter to rebinding. */
export function hostnameOf(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase()
  if (h.startsWith('[')) {
    const end = h.indexOf(']')
    return end < 0 ? h : h.slice(1, end)
  }
  const colon = h.indexOf(':')
  // More than one colon without brackets is a bare IPv6 address (not valid in Host, but unambiguous).
  if (colon >= 0 && h.indexOf(':', colon + 1) < 0) return h.slice(0, colon)
  return h
}

function normalise(name: string): string {
  const n = name.trim().toLowerCase()
  return n.startsWith('[') && n.endsWith(']') ? n.slice(1, -1) : n
}

/**
 * The DNS-rebinding defence: a page on `rebind.attacker.example` whose name the attacker
 * re-points at 127.0.0.1 reaches this server with `Host: rebind.attacker.example`, which no
 * legitimate client sends. Browsers always send Host, so a request without one is let through.
 */
export function createHostAllowlist(names: readonly string[]): HostAllowlist {
  const any = names.includes(ANY_HOST)
  const allowed = new Set(names.map(normalise))
  return {
    names: [...allowed],
    allows(hostHeader) {
      if (any || hostHeader === null || hostHeader === '') return true
      const name = hostnameOf(hostHeader)
      if (allowed.has(name)) return true
      // Every 127/8 address is loopback, as `localhost` is.
      return allowed.has('127.0.0.1') && isIP(name) === 4 && name.startsWith('127.')
    },
  }
}
