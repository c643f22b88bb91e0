import { BlockList, isIP } from 'node:net'
import { configError } from '@lakehouse/kit'

/**
 * The IP allowlist. `net.BlockList` (on Node and Bun alike) does the CIDR matching, IPv4 and
 * IPv6, and matches IPv4-mapped IPv6 peers (`::ffff:10.0.0.7`, what a dual-stack socket
 * reports) against IPv4 ranges — the case a hand-written matcher usually gets wrong.
 */
export interface AddressAllowlist {
  /** False for an address outside every range, and for a peer whose address is unknown. */
  allows(address: string | undefined): boolean
}

/** Parses `10.0.0.0/8`, `fd00::/8` or a bare address; CONFIG_INVALID (naming the setting) on anything else. */
export function createAddressAllowlist(ranges: readonly string[], setting = 'allow-ip'): AddressAllowlist {
  const list = new BlockList()
  for (const range of ranges) {
    const slash = range.indexOf('/')
    const address = slash < 0 ? range : range.slice(0, slash)
    const family = isIP(address)
    if (family === 0) configError(setting, `${JSON.stringify(range)} is not an IP address or CIDR range`)
    const type = family === 4 ? 'ipv4' : 'ipv6'
    if (slash < 0) {
      list.addAddress(address, type)
      continue
    }
    const prefixText = range.slice(slash + 1)
    const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN
    const max = family === 4 ? 32 : 128
    if (!(prefix >= 0 && prefix <= max)) configError(setting, `${JSON.stringify(range)}: the prefix length must be 0–${max}`)
    list.addSubnet(address, prefix, type)
  }
  return {
    allows(address) {
      if (address === undefined) return false
      const family = isIP(address)
      if (family === 0) return false
      return list.check(address, family === 4 ? 'ipv4' : 'ipv6')
    },
  }
}
