import { intBetween, parseBytes, resolveWith } from '@lakehouse/kit'

export interface GatewayConfig {
  /** Which runtime serves this process; reported by /health and the only field expected to differ. */
  readonly runtime: string
  /** Hard ceiling on any request body, checked from Content-Length before a component runs. */
  readonly maxBodyBytes: number
}

export const gatewayDefaults: GatewayConfig = Object.freeze({
  runtime: 'unknown',
  // Above the largest component limit (256 MiB objects and CSVs) plus multipart framing, so
  // the component's own 413 — with its own code — is what a client sees at its limit.
  maxBodyBytes: parseBytes('gateway.maxBodyBytes', '257MiB'),
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
