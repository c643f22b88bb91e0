import { type Logger, problemMetaOf } from '@lakehouse/kit'

export interface AccessRecord {
  readonly reqId: string
  readonly method: string
  readonly path: string
  readonly component: string
  readonly res: Response
  readonly durMs: number
  /** The peer address for network requests; absent for in-process calls. */
  readonly client?: string
}

/**
 * Whether an answer with this status is logged at all, so a caller can skip building the
 * record (most answers at `--log-level warn` or above; issue 13 counts every allocation).
 */
export function accessLogged(logger: Logger, status: number): boolean {
  return status >= 500 || logger.enabled('info')
}

/**
 * The one place that decides how a finished request is logged: ≥ 500 as error with its cause
 * (logged once, here at the edge), everything else as info.
 */
export function logAccess(logger: Logger, r: AccessRecord): void {
  const status = r.res.status
  const failed = status >= 500
  if (!accessLogged(logger, status)) return
  const meta = problemMetaOf(r.res)
  const fields = {
    reqId: r.reqId,
    method: r.method,
    path: r.path,
    component: r.component,
    status,
    code: meta?.code,
    durMs: r.durMs,
    client: r.client,
  }
  if (failed) logger.error('request failed', { ...fields, err: meta?.cause })
  else logger.info('request', fields)
}
