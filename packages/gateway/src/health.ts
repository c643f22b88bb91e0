import { LAKEHOUSE_VERSION } from '@lakehouse/kit'

export interface HealthBody {
  readonly status: 'ok'
  readonly runtime: string
  readonly version: string
  /** Whole seconds since the gateway was built; an integer so its JSON type never flips. */
  readonly uptime_s: number
}

export function healthBody(runtime: string, startedAt: number, now: number): HealthBody {
  return { status: 'ok', runtime, version: LAKEHOUSE_VERSION, uptime_s: Math.max(0, Math.floor((now - startedAt) / 1000)) }
}
