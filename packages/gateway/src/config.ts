import { intBetween, parseBytes, resolveWith } from '@lakehouse/kit'

export interface GatewayConfig {
  /** Which runtime serves this process; reported by /health and the only field expected to differ. */
  readonly runtime: string
  /** Hard ceiling on any request body, checked from Content-Length before a component runs. */
  readonly maxBodyBytes: number
}

export const gatewayDefaults: GatewayConfig = Object.freeze({
  runtime: 'unknown',
  maxBodyBytes: parseBytes('gateway.maxBodyBytes', '256MiB'),
})

export function resolveGatewayConfig(input?: Partial<GatewayConfig>): Readonly<GatewayConfig> {
  return resolveWith(
    gatewayDefaults,
    input,
    {
      runtime: (v) => (typeof v === 'string' && v.length > 0 ? undefined : 'must be a non-empty string'),
      maxBodyBytes: intBetween(1, Number.MAX_SAFE_INTEGER),
    },
    'gateway.',
  )
}
