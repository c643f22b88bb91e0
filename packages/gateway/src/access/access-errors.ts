import { defineErrors } from '@lakehouse/kit'

/** The gateway's own refusals: who may call (token, address) and from where (Host, Origin). */
export const gatewayErrors = defineErrors('gateway', {
  GATEWAY_TOKEN_MISSING: {
    status: 401,
    title: 'Authentication Required',
    description:
      'A bearer token is configured and the request carries none; send `Authorization: Bearer <token>` (`/health` is exempt). The answer has `WWW-Authenticate: Bearer`.',
  },
  GATEWAY_TOKEN_INVALID: {
    status: 401,
    title: 'Invalid Token',
    description:
      'The `Authorization` header is not a bearer token the server accepts (neither the primary nor a secondary one). The token is never echoed.',
  },
  GATEWAY_ADDRESS_DENIED: {
    status: 403,
    title: 'Address Not Allowed',
    description: 'The client address is outside the configured IP allowlist (`--allow-ip`, CIDR, IPv4 and IPv6).',
  },
  GATEWAY_HOST_NOT_ALLOWED: {
    status: 421,
    title: 'Misdirected Request',
    description:
      'The `Host` header names a host this server does not answer for (a DNS-rebinding defence); loopback names and the bound address are allowed, `--allowed-hosts` adds more.',
  },
  GATEWAY_CROSS_ORIGIN: {
    status: 403,
    title: 'Cross-Origin Request Refused',
    description:
      'A browser request from a foreign `Origin` (or `Sec-Fetch-Site: cross-site`/`same-site`) to a method that changes state, or a CORS preflight from an origin not in `--allow-origin`.',
  },
})
