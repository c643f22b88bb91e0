import { type Logger, problemMetaOf } from '@lakehouse/kit'

export interface AccessRecord {
  readonly reqId: string
  readonly method: string
  readonly path: string
  readonly component: string
  readonly res: Response
  readonly durMs: number
}

/**
 * The one place that decides how a finished request is logged: ≥ 500 as error with its cause
 * (logged once, here at the edge), everything else as info.
 */
export function logAccess(logger: Logger, r: AccessRecord): void {
  const meta = problemMetaOf(r.res)
  const status = r.res.status
  if (status >= 500) {
    logger.error('request failed', {
      reqId: r.reqId,
      method: r.method,
      path: r.path,
      component: r.component,
      status,
      code: meta?.code,
      durMs: r.durMs,
      err: meta?.cause,
    })
    return
  }
  if (!logger.enabled('info')) return
  logger.info('request', {
    reqId: r.reqId,
    method: r.method,
    path: r.path,
    component: r.component,
    status,
    code: meta?.code,
    durMs: r.durMs,
  })
}
