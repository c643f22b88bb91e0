import { buildRequest, fillJson, type TemplateHelpers } from '@lakehouse/parity'
import autocannon from 'autocannon'
import { judgeStep, type StepVerdict } from '../flow/assertions.ts'
import { createRandom, createWeightedPicker } from '../flow/random.ts'
import { createHelpers, ITERATION_VAR } from '../mix/helpers.ts'
import type { FailureCause, LoadModel, LoadStep, Mix } from '../model.ts'
import { type Arrivals, createArrivals } from './arrivals.ts'
import { type ClientInternals, restartFlowList } from './autocannon-internals.ts'
import { createRecorder, type Recorder } from './recorder.ts'
import { createWireBuilder } from './wire.ts'

/**
 * Runs one measurement window against one target: autocannon's connections each run one
 * scenario iteration after another (closed model) or take scenario starts from the arrival
 * clock (open model). Scenario choice, templating, captures and assertions happen here;
 * counting happens in the recorder.
 */

export interface DriveOptions {
  readonly url: string
  /** Headers every request carries (the target's bearer token); a step's own header wins. */
  readonly headers?: Readonly<Record<string, string>>
  readonly mix: Mix
  readonly connections: number
  readonly durationS: number
  readonly timeoutS: number
  readonly model: LoadModel
  /** Open model: scenario starts per second. */
  readonly rate?: number
  readonly seed: string
  /** Shared across windows so `{{iteration}}` never repeats within a run. */
  readonly iterations: { value: number }
  readonly signal?: AbortSignal
  /** Called once the window has started, with the live recorder (for progress and samples). */
  readonly onStart?: (recorder: Recorder) => void
}

export interface AutocannonCounters {
  readonly requests: number
  readonly responses: number
  readonly timeouts: number
  readonly errors: number
  readonly resets: number
  readonly statusCodes: Readonly<Record<string, number>>
}

export interface DriveResult {
  readonly recorder: Recorder
  readonly autocannon: AutocannonCounters
  readonly startedAt: Date
  /** From the first request to autocannon's stop, seconds. */
  readonly durationS: number
  readonly inFlightAtEnd: number
  /** Scenario index → iterations begun but not finished when the window closed. */
  readonly unfinished: readonly number[]
  /** CPU seconds this process used during the window (user + system). */
  readonly cpuS: number
}

interface Flow {
  readonly scenario: number
  readonly vars: Map<string, unknown>
  step: number
  startedAt: number
  done: boolean
  sent: boolean
}

interface ClientState {
  flow: Flow | undefined
  inFlight: boolean
  parked: boolean
  verdict: StepVerdict | undefined
  connError: string | undefined
  pending: { flow: Flow; step: number; cause: FailureCause; message: string } | undefined
}

/** A parked connection's socket timer is pushed this far out so an idle wait is not a timeout. */
const PARKED_TIMER_MS = 24 * 3600 * 1000

function lowerHeaders(h: Record<string, string | string[]>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
  return out
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({})

/** Header names are lower-cased only for steps that look at headers (a measurable cost per response). */
function readsHeaders(step: LoadStep): boolean {
  return step.expect.headers !== undefined || Object.values(step.capture ?? {}).some((c) => c.from === 'header')
}

function interruptionCause(code: string | undefined): FailureCause {
  if (code === undefined || code === 'ECONNRESET' || code === 'EPIPE') return 'reset'
  return 'error'
}

export function drive(o: DriveOptions): Promise<DriveResult> {
  const { mix } = o
  const recorder = createRecorder(mix)
  const random = createRandom(o.seed)
  const pick = createWeightedPicker(
    mix.scenarios.map((s) => s.weight),
    random,
  )
  const helpers: TemplateHelpers = createHelpers(mix.pools, random)
  const wire = createWireBuilder(new URL(o.url).host, mix.name, helpers, o.headers)
  const maxSteps = Math.max(...mix.scenarios.map((s) => s.steps.length))
  const states: ClientState[] = []
  let arrivals: Arrivals | undefined

  const startFlow = (): Flow => {
    const scenario = pick()
    const sc = mix.scenarios[scenario]
    const vars = new Map<string, unknown>([[ITERATION_VAR, ++o.iterations.value]])
    for (const [name, value] of Object.entries(sc?.vars ?? {})) vars.set(name, fillJson(value, vars, helpers))
    return { scenario, vars, step: 0, startedAt: performance.now(), done: false, sent: false }
  }

  const finish = (f: Flow, failure: { cause: FailureCause; step: number; message: string } | undefined) => {
    f.done = true
    recorder.flowFinished(f.scenario, f.step + 1, (performance.now() - f.startedAt) * 1000, failure)
  }

  const stateOf = (ctx: Record<string, unknown>): ClientState => {
    let st = ctx.st as ClientState | undefined
    if (st === undefined) {
      st = { flow: undefined, inFlight: false, parked: false, verdict: undefined, connError: undefined, pending: undefined }
      ctx.st = st
    }
    return st
  }

  /** The flow side of building request `i`: starts an iteration at 0, ends it (null) when it is over. */
  const prepare = (i: number, ctx: Record<string, unknown>): { step: LoadStep; flow: Flow } | null => {
    const st = stateOf(ctx)
    if (i === 0) st.flow = startFlow()
    const f = st.flow
    const step = f === undefined ? undefined : mix.scenarios[f.scenario]?.steps[i]
    if (f === undefined || f.done || step === undefined) {
      // Ends this iteration: autocannon restarts the list at step 0 (and counts a reset).
      recorder.flowsEndedEarly++
      return null
    }
    f.step = i
    return { step, flow: f }
  }

  const requests = Array.from({ length: maxSteps }, (_, i) => ({
    index: i,
    // Only the first request of each connection is built through autocannon's builder (in its
    // constructor, before setupClient can swap the builder for ours).
    setupRequest: (req: Record<string, unknown>, ctx: Record<string, unknown>) => {
      const p = prepare(i, ctx)
      if (p === null) return null
      const built = buildRequest(p.step, p.flow.vars, mix.name, helpers, o.headers)
      req.method = built.method
      req.path = built.path
      req.headers = { ...built.headers }
      req.body = built.body === undefined ? undefined : Buffer.from(built.body.buffer, built.body.byteOffset, built.body.byteLength)
      return req
    },
    onResponse: (status: number, body: string, ctx: Record<string, unknown>, headers: Record<string, string | string[]>) => {
      const st = stateOf(ctx)
      const f = st.flow
      const step = f === undefined ? undefined : mix.scenarios[f.scenario]?.steps[f.step]
      if (f === undefined || step === undefined) return
      const verdict = judgeStep(
        step,
        { status, headers: readsHeaders(step) ? lowerHeaders(headers ?? {}) : NO_HEADERS, body: body ?? '' },
        f.vars,
      )
      if (verdict.ok) for (const [k, v] of verdict.captured) f.vars.set(k, v)
      st.verdict = verdict
    },
  }))

  const setupClient = (raw: unknown) => {
    const client = raw as ClientInternals
    const it = client.requestIterator
    const st = stateOf(it.context)
    states.push(st)
    // Keep the state across autocannon's context resets (a fresh context per iteration).
    it.resetContext = function resetContext() {
      this.context = { st }
    }
    it.requestBuilder = (entry, ctx) => {
      const p = prepare((entry as { index: number }).index, ctx)
      return p === null ? null : wire(p.step, p.flow.vars)
    }
    const orig = client._doRequest.bind(client)

    const send = (dueAt: number | undefined) => {
      st.parked = false
      if (client.destroyed) return
      orig()
      const f = st.flow
      if (client.destroyed || f === undefined) return
      st.inFlight = true
      if (f.step === 0 && !f.sent) {
        f.sent = true
        if (dueAt !== undefined) f.startedAt = dueAt
        else f.startedAt = performance.now()
        recorder.flowStarted(f.scenario)
      }
      recorder.stepSent(f.scenario, f.step)
    }

    client._doRequest = () => {
      if (st.parked || client.destroyed) return
      if (st.inFlight) {
        // The previous request was never answered: the socket timed out, was reset or closed.
        st.inFlight = false
        const f = st.flow
        if (f !== undefined && !f.done) {
          f.done = true
          const pending = { flow: f, step: f.step, cause: interruptionCause(st.connError), message: '' }
          st.pending = pending
          // 'timeout' is emitted after the reconnect, in this same tick: settle the cause after it.
          queueMicrotask(() => {
            if (st.pending === pending) st.pending = undefined
            const message = pending.cause === 'timeout' ? `no response within ${o.timeoutS}s` : `connection ${st.connError ?? 'closed'}`
            recorder.stepInterrupted(pending.flow.scenario, pending.step, pending.cause)
            f.done = false
            finish(f, { cause: pending.cause, step: pending.step, message })
          })
        }
        restartFlowList(client)
      }
      st.connError = undefined
      const startsFlow = st.flow === undefined || st.flow.done || client.reqsMade === 0
      if (arrivals !== undefined && startsFlow) {
        st.parked = true
        client.timeoutTicker.reschedule(PARKED_TIMER_MS)
        arrivals.wait((due) => send(due))
        return
      }
      send(undefined)
    }

    client.on('response', (_status, _bytes, durationMs) => {
      st.inFlight = false
      const verdict = st.verdict
      st.verdict = undefined
      const f = st.flow
      if (f === undefined || verdict === undefined) return
      recorder.stepAnswered(f.scenario, f.step, durationMs * 1000, verdict.ok ? undefined : verdict.cause)
      const last = (mix.scenarios[f.scenario]?.steps.length ?? 0) - 1
      if (!verdict.ok) finish(f, { cause: verdict.cause, step: f.step, message: verdict.message })
      else if (f.step >= last) finish(f, undefined)
    })
    client.on('timeout', () => {
      if (st.pending !== undefined) st.pending.cause = 'timeout'
    })
    client.on('connError', (e) => {
      recorder.connectionErrors++
      st.connError = e.code ?? 'error'
    })
  }

  return new Promise<DriveResult>((resolve, reject) => {
    const startedAt = new Date()
    const t0 = performance.now()
    const cpu0 = process.cpuUsage()
    if (o.model === 'open') {
      if (o.rate === undefined || o.rate <= 0) throw new Error('the open model needs a rate')
      arrivals = createArrivals(o.rate, t0, t0 + o.durationS * 1000)
    }
    let instance: autocannon.Instance | undefined
    const onAbort = () => instance?.stop()
    instance = autocannon(
      {
        url: o.url,
        connections: o.connections,
        pipelining: 1,
        duration: o.durationS,
        timeout: o.timeoutS,
        requests: requests as unknown as autocannon.Request[],
        setupClient: setupClient as unknown as autocannon.Options['setupClient'],
        initialContext: {},
      },
      (err, result) => {
        o.signal?.removeEventListener('abort', onAbort)
        arrivals?.stop()
        const durationS = (performance.now() - t0) / 1000
        const cpu = process.cpuUsage(cpu0)
        if (err) {
          reject(err)
          return
        }
        // Let interruption microtasks settle before reading the counts.
        queueMicrotask(() => {
          recorder.dropped = arrivals?.dropped ?? 0
          const unfinished = mix.scenarios.map(() => 0)
          let inFlightAtEnd = 0
          for (const st of states) {
            if (st.inFlight) inFlightAtEnd++
            const f = st.flow
            if (f?.sent && !f.done) unfinished[f.scenario] = (unfinished[f.scenario] ?? 0) + 1
          }
          const statusCodes: Record<string, number> = {}
          let responses = 0
          for (const [code, v] of Object.entries(
            (result as unknown as { statusCodeStats: Record<string, { count: number }> }).statusCodeStats ?? {},
          )) {
            statusCodes[code] = v.count
            responses += v.count
          }
          const r = result as unknown as { requests: { sent: number }; timeouts: number; errors: number; resets: number }
          resolve({
            recorder,
            autocannon: { requests: r.requests.sent, responses, timeouts: r.timeouts, errors: r.errors, resets: r.resets, statusCodes },
            startedAt,
            durationS,
            inFlightAtEnd,
            unfinished,
            cpuS: (cpu.user + cpu.system) / 1e6,
          })
        })
      },
    )
    o.signal?.addEventListener('abort', onAbort, { once: true })
    o.onStart?.(recorder)
  })
}
