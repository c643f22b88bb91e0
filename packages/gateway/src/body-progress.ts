import { kitErrors, type Problem } from '@lakehouse/kit'

/** The least a request body must move: `minBytes` for every `windowMs` a reader spends waiting. */
export interface BodyProgressLimits {
  readonly windowMs: number
  readonly minBytes: number
}

export interface GuardedRequest {
  readonly req: Request
  /** True once the body fell below the minimum progress and the request was ended. */
  tripped(): boolean
  /** True once the body was read to its end. */
  consumed(): boolean
  /** Stops the guard's timer; the body may stay unread (an early 4xx). */
  release(): void
}

/**
 * Ends a body that trickles in. A client sending a byte every few seconds would otherwise
 * hold a connection and, on upload routes, one of the few upload slots for as long as it likes
 * (issue 12: Node kept them open indefinitely, Bun's idle timer closed some). Only time a reader
 * spends waiting for data counts — a component that has not started reading (queued for a
 * slot, say) never trips it — and each `windowMs` of waiting must bring `minBytes`, so a slow
 * but real link passes while one byte per five seconds does not. Both runtimes run this same
 * code, so they end the same requests.
 */
export function guardBodyProgress(req: Request, limits: BodyProgressLimits): GuardedRequest | undefined {
  const source = req.body
  if (source === null) return undefined
  const reader = source.getReader()
  const problem = (): Problem =>
    kitErrors.problem('HTTP_BODY_TOO_SLOW', {
      detail: `the request body arrived slower than ${limits.minBytes} bytes per ${limits.windowMs / 1000} s; send it faster or in one go`,
      extensions: { min_bytes: limits.minBytes, window_ms: limits.windowMs },
      headers: { connection: 'close' },
    })
  let waited = 0
  let bytes = 0
  let tripped = false
  let finished = false
  let ended = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | undefined

  const trip = () => {
    if (tripped || finished) return
    tripped = true
    finished = true
    const p = problem()
    controllerRef?.error(p)
    reader.cancel(p).catch(() => undefined)
  }

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controllerRef = controller
    },
    async pull(controller) {
      let readStart = performance.now()
      // A window that ends while this read waits is judged then: enough bytes start a new
      // window (the read keeps waiting), too few end the request.
      const windowEnds = () => {
        if (bytes < limits.minBytes) {
          trip()
          return
        }
        waited = 0
        bytes = 0
        readStart = performance.now()
        timer = setTimeout(windowEnds, limits.windowMs)
      }
      timer = setTimeout(windowEnds, Math.max(0, limits.windowMs - waited))
      let result: Awaited<ReturnType<typeof reader.read>>
      try {
        result = await reader.read()
      } catch (err) {
        clearTimeout(timer)
        if (!tripped) {
          finished = true
          controller.error(err)
        }
        return
      }
      clearTimeout(timer)
      if (tripped) return
      if (result.done) {
        finished = true
        ended = true
        controller.close()
        return
      }
      waited += performance.now() - readStart
      bytes += result.value.byteLength
      if (waited >= limits.windowMs) {
        if (bytes < limits.minBytes) {
          trip()
          return
        }
        waited = 0
        bytes = 0
      }
      controller.enqueue(result.value)
    },
    cancel(reason) {
      finished = true
      clearTimeout(timer)
      return reader.cancel(reason)
    },
  })
  return {
    req: new Request(req, { body: stream, duplex: 'half' } as RequestInit),
    tripped: () => tripped,
    consumed: () => ended,
    release: () => {
      finished = true
      clearTimeout(timer)
    },
  }
}
