import { drain, isProblem, OVERSIZE_DRAIN_BYTES, Problem, toProblem } from '@lakehouse/kit'
import { storageErrors } from './errors.ts'
import { tooLargeProblem } from './write-body.ts'

/**
 * How much of a refused body we read and discard so the client sees our answer: kit's policy
 * (OVERSIZE_DRAIN_BYTES; json-body.ts explains why), shared by every body reader.
 */
export const DRAIN_BUDGET_BYTES = OVERSIZE_DRAIN_BYTES

/** The declared Content-Length, or undefined when absent or malformed. */
export function declaredLength(req: Request): number | undefined {
  const header = req.headers.get('content-length')
  return header !== null && /^\d+$/.test(header) ? Number(header) : undefined
}

function withClose(problem: Problem): Problem {
  return new Problem(
    problem.code,
    { status: problem.status, title: problem.title },
    {
      detail: problem.detail,
      ...(problem.errors === undefined ? {} : { errors: problem.errors }),
      ...(problem.extensions === undefined ? {} : { extensions: problem.extensions }),
      headers: { ...problem.headers, connection: 'close' },
      cause: problem.cause,
    },
  )
}

/** Throws `problem` for a request whose body we will not store, after draining it or marking the connection for closing. */
export async function refuseBody(req: Request, problem: Problem): Promise<never> {
  if (req.body === null || req.bodyUsed) throw problem
  const declared = declaredLength(req)
  const reader = req.body.getReader()
  const drained = declared === undefined || declared <= DRAIN_BUDGET_BYTES ? await drain(reader, DRAIN_BUDGET_BYTES) : false
  if (!drained) await reader.cancel().catch(() => undefined)
  throw drained ? problem : withClose(problem)
}

export interface GuardedBody {
  /** Ends with 413 STORAGE_TOO_LARGE once more than `maxBytes` arrive; cancelling it leaves the request body to `settle`. */
  readonly stream: ReadableStream<Uint8Array>
  /** After a failed store: drains or abandons the unread rest of the body and returns the problem to answer with. */
  settle(err: unknown): Promise<Problem>
}

export function guardBody(body: ReadableStream<Uint8Array> | null, maxBytes: number): GuardedBody {
  if (body === null) {
    return { stream: new ReadableStream({ start: (c) => c.close() }), settle: async (err) => toProblem(err) }
  }
  const reader = body.getReader()
  let total = 0
  let ended = false
  let failed = false
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let chunk: Awaited<ReturnType<typeof reader.read>>
        try {
          chunk = await reader.read()
        } catch (cause) {
          failed = true
          controller.error(storageErrors.problem('STORAGE_UPLOAD_INCOMPLETE', { detail: 'the request body ended abnormally', cause }))
          return
        }
        if (chunk.done) {
          ended = true
          controller.close()
          return
        }
        total += chunk.value.byteLength
        if (total > maxBytes) {
          controller.error(tooLargeProblem(maxBytes))
          return
        }
        controller.enqueue(chunk.value)
      },
    },
    { highWaterMark: 0 },
  )
  return {
    stream,
    async settle(err) {
      const problem = isProblem(err) ? err : toProblem(err)
      if (ended || failed) return problem
      const budget = DRAIN_BUDGET_BYTES - Math.max(0, total - maxBytes)
      return (await drain(reader, budget)) ? problem : withClose(problem)
    },
  }
}
