import { drain, kitErrors, type Problem } from '@lakehouse/kit'

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
  /**
   * Reads and drops a body nobody read, up to `budget` bytes, still under the guard; false when
   * it cannot be (half-read, larger than the budget, cut short or too slow).
   */
  discard(budget: number): Promise<boolean>
  /** Stops the guard's timer; the body may stay unread (an early 4xx). */
  release(): void
}

/**
 * A whole-body read (`arrayBuffer()`, `text()`, `json()` …) of a body with a declared length up
 * to this is judged by one deadline rather than chunk by chunk through a wrapping stream. A body
 * this small arrives in one or two reads, and the wrapping stream, the extra Request and (on Node)
 * the web stream over the socket cost more than everything else a small JSON request does
 * (issue 13: a third of Node's time on POST /v1/validate).
 */
export const WHOLE_READ_MAX_BYTES = 64 * 1024

/**
 * The deadline for a whole-body read of `length` bytes: the time a body moving at exactly the
 * minimum rate needs. Any body that keeps the progress rule arrives within it (k windows of
 * waiting bring at least k × minBytes), so the deadline never ends a body the rule lets through;
 * up to `minBytes` it is the rule itself (the first window must bring the whole body). It can be
 * later than the rule for a body that sends most of its bytes and then stalls — by at most
 * length / minBytes windows (8 for 64 KiB at the defaults).
 */
export function wholeReadDeadlineMs(length: number, limits: BodyProgressLimits): number {
  return limits.windowMs * Math.max(1, Math.ceil(length / limits.minBytes))
}

const WHOLE_READS = new Set<PropertyKey>(['arrayBuffer', 'text', 'json', 'blob', 'bytes', 'formData'])

// A Proxy is a Request to every reader, but not to a Request constructor: undici and Bun copy
// the body from the runtime's own request behind it, unguarded. Code that rebuilds a guarded
// request (split mode forwarding it upstream) asks the Proxy for a real one under this key.
const STANDALONE = Symbol('lakehouse.standaloneRequest')

/** A real Request carrying the guarded body, for code that builds a new Request from this one. */
export function standaloneRequest(req: Request): Request {
  const make = (req as unknown as Record<symbol, (() => Request) | undefined>)[STANDALONE]
  return make === undefined ? req : make()
}

/** True when the request may carry a body, answered from the headers where they settle it (Node's adapter builds `body` on first touch). */
function mayHaveBody(req: Request, declared: string | null): boolean {
  if (declared !== null) return declared !== '0'
  if ((req.method === 'GET' || req.method === 'HEAD') && req.headers.get('transfer-encoding') === null) return false
  return req.body !== null
}

/**
 * Ends a body that trickles in. A client sending a byte every few seconds would otherwise
 * hold a connection and, on upload routes, one of the few upload slots for as long as it likes
 * (issue 12: Node kept them open indefinitely, Bun's idle timer closed some). Only time a reader
 * spends waiting for data counts — a component that has not started reading (queued for a
 * slot, say) never trips it — and each `windowMs` of waiting must bring `minBytes`, so a slow
 * but real link passes while one byte per five seconds does not. Both runtimes run this same
 * code, so they end the same requests.
 *
 * The request is handed on as a Proxy rather than a new Request: reads of `body` get the
 * guarded stream, whole-body reads of a small declared body go straight to the runtime's own
 * reader under `wholeReadDeadlineMs`, everything else is the runtime's request untouched.
 */
export function guardBodyProgress(req: Request, limits: BodyProgressLimits): GuardedRequest | undefined {
  const declared = req.headers.get('content-length')
  if (!mayHaveBody(req, declared)) return undefined
  return new BodyGuard(req, declared !== null && /^\d{1,15}$/.test(declared) ? Number(declared) : undefined, limits)
}

/**
 * One object per guarded request, and the Proxy's handler too: every body-bearing request
 * passes through here, and on Node a dozen closures, a WeakMap entry and a second handler
 * object per request cost as much as the rest of a small JSON request's routing (issue 13).
 */
class BodyGuard implements GuardedRequest, ProxyHandler<Request> {
  readonly req: Request
  #tripped = false
  #finished = false
  #ended = false
  // A whole-body read went to the runtime's reader: the body is no longer ours to stream or drain.
  #touched = false
  #timer: ReturnType<typeof setTimeout> | undefined
  #stream: ReadableStream<Uint8Array> | null | undefined
  #cancelSource: ((reason: unknown) => void) | undefined

  constructor(
    private readonly source: Request,
    private readonly length: number | undefined,
    private readonly limits: BodyProgressLimits,
  ) {
    this.req = new Proxy(source, this)
  }

  // ProxyHandler: the guarded reads, a real Request on demand, the runtime's request otherwise.
  get(target: Request, prop: PropertyKey): unknown {
    if (prop === 'body') return this.#guardedStream()
    if (WHOLE_READS.has(prop)) return () => this.#wholeRead(prop)
    if (prop === STANDALONE) return () => this.#standalone()
    const value: unknown = Reflect.get(target, prop, target)
    return typeof value === 'function' ? value.bind(target) : value
  }

  tripped(): boolean {
    return this.#tripped
  }

  consumed(): boolean {
    return this.#ended
  }

  async discard(budget: number): Promise<boolean> {
    if (this.#touched || this.#finished) return false
    const length = this.length
    if (this.#stream === undefined && length !== undefined && length <= Math.min(budget, WHOLE_READ_MAX_BYTES)) {
      return this.#wholeRead('arrayBuffer').then(
        () => true,
        () => false,
      )
    }
    const body = this.#guardedStream()
    if (body === null) return true
    // Half-read by a handler: the rest cannot be told apart from the next request's bytes.
    if (body.locked) return false
    return drain(body.getReader(), budget)
  }

  release(): void {
    this.#finished = true
    clearTimeout(this.#timer)
  }

  #problem(): Problem {
    const { minBytes, windowMs } = this.limits
    return kitErrors.problem('HTTP_BODY_TOO_SLOW', {
      detail: `the request body arrived slower than ${minBytes} bytes per ${windowMs / 1000} s; send it faster or in one go`,
      extensions: { min_bytes: minBytes, window_ms: windowMs },
      headers: { connection: 'close' },
    })
  }

  #trip(): Problem {
    const p = this.#problem()
    if (this.#tripped || this.#finished) return p
    this.#tripped = true
    this.#finished = true
    this.#cancelSource?.(p)
    return p
  }

  #standalone(): Request {
    const body = this.#guardedStream()
    return body === null ? this.source : new Request(this.source, { body, duplex: 'half' } as RequestInit)
  }

  #guardedStream(): ReadableStream<Uint8Array> | null {
    if (this.#stream !== undefined) return this.#stream
    const source = this.source.body
    if (source === null) {
      this.#stream = null
      return null
    }
    const limits = this.limits
    const reader = source.getReader()
    let waited = 0
    let bytes = 0
    let controllerRef: ReadableStreamDefaultController<Uint8Array> | undefined
    this.#cancelSource = (p) => {
      controllerRef?.error(p)
      reader.cancel(p).catch(() => undefined)
    }
    this.#stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        controllerRef = controller
      },
      pull: async (controller) => {
        let readStart = performance.now()
        // A window that ends while this read waits is judged then: enough bytes start a new
        // window (the read keeps waiting), too few end the request.
        const windowEnds = () => {
          if (bytes < limits.minBytes) {
            this.#trip()
            return
          }
          waited = 0
          bytes = 0
          readStart = performance.now()
          this.#timer = setTimeout(windowEnds, limits.windowMs)
        }
        this.#timer = setTimeout(windowEnds, Math.max(0, limits.windowMs - waited))
        let result: Awaited<ReturnType<typeof reader.read>>
        try {
          result = await reader.read()
        } catch (err) {
          clearTimeout(this.#timer)
          if (!this.#tripped) {
            this.#finished = true
            controller.error(err)
          }
          return
        }
        clearTimeout(this.#timer)
        if (this.#tripped) return
        if (result.done) {
          this.#finished = true
          this.#ended = true
          controller.close()
          return
        }
        waited += performance.now() - readStart
        bytes += result.value.byteLength
        if (waited >= limits.windowMs) {
          if (bytes < limits.minBytes) {
            this.#trip()
            return
          }
          waited = 0
          bytes = 0
        }
        controller.enqueue(result.value)
      },
      cancel: (reason) => {
        this.#finished = true
        clearTimeout(this.#timer)
        return reader.cancel(reason)
      },
    })
    return this.#stream
  }

  #wholeRead(kind: PropertyKey): Promise<unknown> {
    const length = this.length
    if (this.#stream === undefined && !this.#touched && length !== undefined && length <= WHOLE_READ_MAX_BYTES) {
      this.#touched = true
      const source = this.source
      const read = (Reflect.get(source, kind, source) as () => Promise<unknown>).call(source)
      if (this.limits.minBytes === 0) {
        return read.then(
          (v) => this.#done(v),
          (err: unknown) => this.#failed(err),
        )
      }
      return new Promise((resolve, reject) => {
        this.#timer = setTimeout(
          () => {
            // The runtime's read cannot be cancelled; the 408 closes the connection, which ends it.
            read.catch(() => undefined)
            reject(this.#trip())
          },
          wholeReadDeadlineMs(length, this.limits),
        )
        read.then(
          (v) => {
            clearTimeout(this.#timer)
            if (!this.#tripped) resolve(this.#done(v))
          },
          (err) => {
            clearTimeout(this.#timer)
            this.#finished = true
            if (!this.#tripped) reject(err)
          },
        )
      })
    }
    // A streamed or large body: read through the guarded stream.
    const type = this.source.headers.get('content-type')
    const res = new Response(this.#guardedStream(), type === null ? undefined : { headers: { 'content-type': type } })
    return (Reflect.get(res, kind, res) as () => Promise<unknown>).call(res)
  }

  #done<T>(v: T): T {
    this.#finished = true
    this.#ended = true
    return v
  }

  #failed(err: unknown): never {
    this.#finished = true
    throw err
  }
}
