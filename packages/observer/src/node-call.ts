import {
  encodeJson,
  isJsonContentType,
  type Logger,
  type Problem,
  problemBody,
  REQUEST_ID_HEADER,
  readBounded,
  toProblem,
} from '@lakehouse/kit'
import { isObject } from './entries.ts'
import { observerErrors } from './errors.ts'
import type { ModeTarget } from './modes.ts'
import type { NodeError } from './types.ts'

/** The origin of the Requests nodes send through `dispatch`; only the path matters to the gateway. */
export const INTERNAL_ORIGIN = 'http://lakehouse.internal'
const UPSTREAM_BODY_ECHO = 1024

export type NodeOutcome = { readonly ok: true; readonly output: unknown } | { readonly ok: false; readonly error: NodeError }

export interface CallOptions {
  /** Aborted with the Problem to report (node or workflow timeout). */
  readonly signal: AbortSignal
  readonly maxOutputBytes: number
  readonly requestId: string
  readonly logger: Logger
}

export function failure(problem: Problem, instance: string): NodeOutcome {
  return { ok: false, error: problemBody(problem, instance) }
}

function parseJson(bytes: Uint8Array): { ok: boolean; value: unknown } {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) }
  } catch {
    return { ok: false, value: undefined }
  }
}

function badResponse(res: Response, bytes: Uint8Array, detail: string, instance: string): NodeOutcome {
  const echo = new TextDecoder().decode(bytes.subarray(0, UPSTREAM_BODY_ECHO))
  return failure(
    observerErrors.problem('OBSERVER_NODE_BAD_RESPONSE', { detail, extensions: { upstream_status: res.status, upstream_body: echo } }),
    instance,
  )
}

async function readOutcome(res: Response, options: CallOptions, instance: string): Promise<NodeOutcome> {
  let bytes: Uint8Array
  try {
    bytes = await readBounded(res.body, options.maxOutputBytes, options.signal)
  } catch (err) {
    if (!(err instanceof RangeError)) throw err
    const detail = `${instance} answered with more than ${options.maxOutputBytes} bytes`
    return failure(
      observerErrors.problem('OBSERVER_NODE_OUTPUT_TOO_LARGE', { detail, extensions: { limit_bytes: options.maxOutputBytes } }),
      instance,
    )
  }
  const parsed = isJsonContentType(res.headers.get('content-type')) ? parseJson(bytes) : { ok: false, value: undefined }
  if (res.ok) {
    return parsed.ok
      ? { ok: true, output: parsed.value }
      : badResponse(res, bytes, `${instance} answered ${res.status} without a JSON body`, instance)
  }
  // Non-2xx: the component's problem body is the node's error, whole, so nothing is swallowed.
  const body = parsed.value
  if (parsed.ok && isObject(body) && typeof body.code === 'string' && typeof body.status === 'number') {
    return {
      ok: false,
      error: { ...body, code: body.code, status: body.status, detail: typeof body.detail === 'string' ? body.detail : '' },
    }
  }
  return badResponse(res, bytes, `${instance} answered ${res.status} without a problem body`, instance)
}

/**
 * One component call through the gateway's own handler, so the node gets exactly the HTTP
 * API's validation, limits and errors. Resolves with the node's outcome; it never rejects,
 * and it returns as soon as `signal` aborts even if the component keeps working.
 */
export async function callNode(
  dispatch: (req: Request) => Promise<Response>,
  target: ModeTarget,
  options: CallOptions,
): Promise<NodeOutcome> {
  const { signal } = options
  const fromSignal = () => failure(toProblem(signal.reason), target.path)
  if (signal.aborted) return fromSignal()
  let onAbort = () => {}
  const aborted = new Promise<NodeOutcome>((resolve) => {
    onAbort = () => resolve(fromSignal())
    signal.addEventListener('abort', onAbort, { once: true })
  })
  const work = (async (): Promise<NodeOutcome> => {
    const req = new Request(INTERNAL_ORIGIN + target.path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [REQUEST_ID_HEADER]: options.requestId },
      body: encodeJson(target.body),
      signal,
    })
    try {
      return await readOutcome(await dispatch(req), options, target.path)
    } catch (err) {
      if (signal.aborted) return fromSignal()
      // The gateway's handler answers problems itself; a throw is a bug, logged once here with its cause.
      const problem = toProblem(err)
      if (problem.status >= 500) options.logger.error('workflow node call threw', { path: target.path, requestId: options.requestId, err })
      return failure(problem, target.path)
    }
  })()
  try {
    return await Promise.race([work, aborted])
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}
