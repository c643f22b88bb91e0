import { type ComponentName, parseServices, parseUpstream, resolveSplitConfig, type SplitConfig } from '@lakehouse/gateway'
import { configError, SERVICE_TOKEN_ENV, tokenProblem } from '@lakehouse/kit'
import type { Env } from './serve-settings.ts'

export interface SplitFlags {
  /** `--services storage,catalog`: the components this process builds; all when absent. */
  readonly services: string | undefined
  /** `--upstream catalog=http://…,query=http://…`: where the others are. */
  readonly upstreams: string | undefined
}

/**
 * Maps `--services`, `--upstream` and the service token to the gateway's split config; the
 * deployment's shape (dependencies reachable, nothing both local and remote) is checked there.
 */
export function resolveSplit(flags: SplitFlags, env: Env): SplitConfig {
  const services: ComponentName[] | undefined = flags.services === undefined ? undefined : parseServices(flags.services)
  const upstreams = flags.upstreams === undefined ? [] : flags.upstreams.split(',').map((text) => parseUpstream(text.trim()))
  const serviceToken = env[SERVICE_TOKEN_ENV]
  if (serviceToken !== undefined && serviceToken !== '') {
    const problem = tokenProblem(serviceToken)
    if (problem !== undefined) configError(SERVICE_TOKEN_ENV, `the token ${problem}`)
  }
  return resolveSplitConfig({
    ...(services === undefined ? {} : { services }),
    upstreams,
    ...(serviceToken === undefined || serviceToken === '' ? {} : { serviceToken }),
  })
}
