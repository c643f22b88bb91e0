import type { ProblemEntry } from '@lakehouse/kit'
import type { ChatMessage } from '@lakehouse/providers'
import type { DraftConfig } from './config.ts'
import { draftErrors } from './errors.ts'
import type { ChatRequest, DraftRequest, JobSpec } from './types.ts'

/**
 * Shape checks for the two request bodies. Every problem found is listed (not just the first),
 * each as `{kind, field, reason, message}` with the validator's reasons: `type`, `required`,
 * `additionalProperties`, `enum`, `empty`, `too_long`, `out_of_range`.
 */

const ID_MAX = 256
const MODEL_MAX = 200
const TEXT_MAX = 200
const START_MAX = 100
const PAY_MAX = 100
/** A number pay rate is dollars per hour; a million is a typo, not a wage. */
const PAY_NUMBER_MAX = 1_000_000
const ROLES: readonly ChatMessage['role'][] = ['system', 'user', 'assistant']

type Json = Readonly<Record<string, unknown>>

class Checker {
  readonly errors: ProblemEntry[] = []

  add(kind: string, field: string, reason: string, message: string): void {
    this.errors.push({ kind, field, reason, message })
  }

  /** The object at `field`, or undefined after recording a type error. */
  object(value: unknown, field: string, shape: string): Json | undefined {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Json
    this.add('schema', field, 'type', `${field} must be an object ${shape}`)
    return undefined
  }

  members(record: Json, field: string, allowed: readonly string[]): void {
    for (const key of Object.keys(record)) {
      if (!allowed.includes(key)) {
        this.add(
          'schema',
          `${field}.${key}`,
          'additionalProperties',
          `${field}.${key} is not a known member (expected ${allowed.join(', ')})`,
        )
      }
    }
  }

  /** A string of 1..max characters (blank counts as empty); `required: false` lets it be absent. */
  text(record: Json, key: string, field: string, max: number, required: boolean): string | undefined {
    const path = `${field}.${key}`
    const value = record[key]
    if (value === undefined) {
      if (required) this.add('schema', path, 'required', `${path} is required`)
      return undefined
    }
    if (typeof value !== 'string') {
      this.add('schema', path, 'type', `${path} must be a string`)
      return undefined
    }
    if (required && value.trim() === '') this.add('length', path, 'empty', `${path} must not be empty`)
    else if (value.length > max) this.add('length', path, 'too_long', `${path} has ${value.length} characters; the limit is ${max}`)
    else return value
    return undefined
  }

  number(record: Json, key: string, field: string, min: number, max: number, integer: boolean): number | undefined {
    const path = `${field}.${key}`
    const value = record[key]
    if (value === undefined) return undefined
    const ok = typeof value === 'number' && Number.isFinite(value) && (!integer || Number.isInteger(value))
    if (!ok) this.add('schema', path, 'type', `${path} must be ${integer ? 'an integer' : 'a number'}`)
    else if (value < min || value > max) this.add('schema', path, 'out_of_range', `${path} must be in ${min}..${max}, got ${value}`)
    else return value
    return undefined
  }

  /** DRAFT_INVALID_REQUEST listing every problem recorded so far. */
  reject(shape: string): never {
    const [first] = this.errors
    throw draftErrors.problem('DRAFT_INVALID_REQUEST', {
      detail: `the body must be ${shape}${first === undefined ? '' : `; ${first.message}`}`,
      errors: this.errors,
    })
  }
}

const CHAT_SHAPE = '{model, messages, temperature?, max_tokens?}'

function chatMessages(c: Checker, value: unknown, maxMessages: number): ChatMessage[] {
  if (value === undefined) {
    c.add('schema', '$.messages', 'required', '$.messages is required')
    return []
  }
  if (!Array.isArray(value)) {
    c.add('schema', '$.messages', 'type', '$.messages must be an array of {role, content}')
    return []
  }
  if (value.length === 0) c.add('length', '$.messages', 'empty', '$.messages must not be empty')
  if (value.length > maxMessages) {
    c.add('length', '$.messages', 'too_long', `$.messages has ${value.length} items; the limit is ${maxMessages}`)
    return []
  }
  const out: ChatMessage[] = []
  value.forEach((item: unknown, i) => {
    const field = `$.messages[${i}]`
    const m = c.object(item, field, '{role, content}')
    if (m === undefined) return
    c.members(m, field, ['role', 'content'])
    const role = m.role
    if (role === undefined) c.add('schema', `${field}.role`, 'required', `${field}.role is required`)
    else if (!ROLES.includes(role as ChatMessage['role'])) {
      c.add('schema', `${field}.role`, 'enum', `${field}.role must be one of ${ROLES.join(', ')}`)
    }
    if (m.content === undefined) c.add('schema', `${field}.content`, 'required', `${field}.content is required`)
    else if (typeof m.content !== 'string') c.add('schema', `${field}.content`, 'type', `${field}.content must be a string`)
    if (typeof m.content === 'string' && ROLES.includes(role as ChatMessage['role'])) {
      out.push({ role: role as ChatMessage['role'], content: m.content })
    }
  })
  return out
}

export function parseChatRequest(body: unknown, config: Readonly<DraftConfig>): ChatRequest {
  const c = new Checker()
  const record = c.object(body, '$', CHAT_SHAPE)
  if (record === undefined) return c.reject(CHAT_SHAPE)
  c.members(record, '$', ['model', 'messages', 'temperature', 'max_tokens'])
  const model = c.text(record, 'model', '$', MODEL_MAX, true)
  const messages = chatMessages(c, record.messages, config.maxMessages)
  const temperature = c.number(record, 'temperature', '$', 0, 2, false)
  const maxTokens = c.number(record, 'max_tokens', '$', 1, config.maxTokensLimit, true)
  if (c.errors.length > 0 || model === undefined) return c.reject(CHAT_SHAPE)
  return {
    model,
    messages,
    ...(temperature === undefined ? {} : { temperature }),
    ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }),
  }
}

const DRAFT_SHAPE = '{worker_id, job: {title, site, city?, start, shift?, pay_rate?, contact_name?, contact_phone?}, model?}'
const JOB_MEMBERS = ['title', 'site', 'city', 'start', 'shift', 'pay_rate', 'contact_name', 'contact_phone']

function job(c: Checker, value: unknown): JobSpec | undefined {
  if (value === undefined) {
    c.add('schema', '$.job', 'required', '$.job is required')
    return undefined
  }
  const j = c.object(value, '$.job', '{title, site, start, …}')
  if (j === undefined) return undefined
  c.members(j, '$.job', JOB_MEMBERS)
  const title = c.text(j, 'title', '$.job', TEXT_MAX, true)
  const site = c.text(j, 'site', '$.job', TEXT_MAX, true)
  const start = c.text(j, 'start', '$.job', START_MAX, true)
  const optional: Record<string, string> = {}
  for (const key of ['city', 'shift', 'contact_name', 'contact_phone']) {
    const v = c.text(j, key, '$.job', TEXT_MAX, false)
    if (v !== undefined) optional[key] = v
  }
  let pay: string | number | undefined
  if (typeof j.pay_rate === 'number') pay = c.number(j, 'pay_rate', '$.job', 0, PAY_NUMBER_MAX, false)
  else if (j.pay_rate !== undefined && typeof j.pay_rate !== 'string')
    c.add('schema', '$.job.pay_rate', 'type', '$.job.pay_rate must be a string or a number')
  else pay = c.text(j, 'pay_rate', '$.job', PAY_MAX, false)
  if (title === undefined || site === undefined || start === undefined) return undefined
  return { title, site, start, ...optional, ...(pay === undefined ? {} : { pay_rate: pay }) }
}

export function parseDraftRequest(body: unknown): DraftRequest {
  const c = new Checker()
  const record = c.object(body, '$', DRAFT_SHAPE)
  if (record === undefined) return c.reject(DRAFT_SHAPE)
  c.members(record, '$', ['worker_id', 'job', 'model'])
  const workerId = c.text(record, 'worker_id', '$', ID_MAX, true)
  const spec = job(c, record.job)
  const model = c.text(record, 'model', '$', MODEL_MAX, false)
  if (model !== undefined && model.trim() === '') c.add('length', '$.model', 'empty', '$.model must not be empty when given')
  if (c.errors.length > 0 || workerId === undefined || spec === undefined) return c.reject(DRAFT_SHAPE)
  return { worker_id: workerId, job: spec, ...(model === undefined ? {} : { model }) }
}
