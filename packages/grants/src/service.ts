import { type Handler, keepRoutes, type Logger, SILENT_LOGGER } from '@lakehouse/kit'
import { type GrantsConfig, resolveGrantsConfig } from './config.ts'
import { createGrantsHandler } from './routes.ts'
import type { GrantAuthority } from './types.ts'

export interface GrantsDeps {
  /** Owned by the caller (it holds the key and perhaps a journal); the service never closes it. */
  readonly authority: GrantAuthority
  readonly logger?: Logger
}

export interface GrantsService {
  /** Serves `GET|POST /v1/grants`, `POST /v1/grants/verify` and `DELETE /v1/grants/{id}` on their full paths. */
  readonly handler: Handler
  readonly config: Readonly<GrantsConfig>
  readonly authority: GrantAuthority
  /** Resolves once requests already in flight have finished, so the app can close the journal after it. */
  close(): Promise<void>
}

/** Builds the grants HTTP service; CONFIG_INVALID on bad config, logged once here with nothing secret in it. */
export function createGrantsService(config: Partial<GrantsConfig> | undefined, deps: GrantsDeps): GrantsService {
  const resolved = resolveGrantsConfig(config)
  const logger = (deps.logger ?? SILENT_LOGGER).child({ component: 'grants' })
  logger.info('grants config', { ...resolved })
  const route = createGrantsHandler(deps.authority, resolved)
  const inFlight = new Set<Promise<Response>>()
  const tracked: Handler = (req) => {
    const pending = route(req)
    inFlight.add(pending)
    // The settled promise is only for bookkeeping; the caller sees `pending` and its rejection.
    const forget = () => inFlight.delete(pending)
    pending.then(forget, forget)
    return pending
  }
  // The wrapper keeps the router's route table, so the gateway's /openapi.json can describe it.
  const handler = keepRoutes(tracked, route)
  return {
    handler,
    config: resolved,
    authority: deps.authority,
    async close() {
      await Promise.allSettled([...inFlight])
    },
  }
}
