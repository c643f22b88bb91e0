import { type BodyCheck, type Problem, type ProblemEntry, quoteCallerText } from '@lakehouse/kit'
import type { ProviderClient } from '@lakehouse/providers'
import type { DraftConfig } from './config.ts'
import { composeEmail, composeSubject } from './email-composer.ts'
import { draftErrors } from './errors.ts'
import { createModelRouter, type ModelRoute } from './model-route.ts'
import { type OutreachFacts, outreachFacts } from './outreach-facts.ts'
import { emailPrompt, smsPrompt, tidyEmailBody, tidySmsBody } from './provider-prompts.ts'
import { chatRequestParser, parseDraftRequest } from './request-body.ts'
import { composeSms } from './sms-composer.ts'
import { echoReply, templateReply } from './template-model.ts'
import type {
  ChatRequest,
  ChatResponse,
  DraftRequest,
  DraftValidator,
  EmailDraft,
  EmailDraftResponse,
  SmsDraft,
  SmsDraftResponse,
  WorkerProfile,
  WorkerSource,
} from './types.ts'

/** The drafting domain: no HTTP here. Every method takes an unchecked body and throws Problems. */
export interface Drafter {
  chat(body: unknown): Promise<ChatResponse>
  draftEmail(body: unknown): Promise<EmailDraftResponse>
  draftSms(body: unknown): Promise<SmsDraftResponse>
  /** The check `chat` runs (its limits are configuration), so the route can publish it. */
  readonly chatBody: BodyCheck<ChatRequest>
}

export interface DrafterDeps {
  readonly workers: WorkerSource
  readonly validator: DraftValidator
  readonly providers: Readonly<Record<string, ProviderClient>>
}

const ENTRY_KEYS = ['kind', 'field', 'reason', 'message'] as const

/** The validator's entries as problem entries; anything unexpected is kept as a generic policy entry rather than dropped. */
function toEntries(errors: readonly unknown[]): ProblemEntry[] {
  return errors.map((e) => {
    const r = (e ?? {}) as Record<string, unknown>
    if (ENTRY_KEYS.every((k) => typeof r[k] === 'string')) {
      return { kind: r.kind as string, field: r.field as string, reason: r.reason as string, message: r.message as string }
    }
    return { kind: 'policy', field: '$', reason: 'invalid', message: 'the validator rejected the draft' }
  })
}

/**
 * The 422 for a draft that did not pass. The draft itself is withheld: it may hold exactly what
 * the validator exists to stop (an SSN a provider invented), and problem bodies end up in logs.
 */
function failedValidation(
  kind: 'email' | 'sms',
  model: string,
  workerId: string,
  errors: readonly unknown[],
  warnings: readonly unknown[],
): Problem {
  const entries = toEntries(errors)
  const first = entries[0]?.message
  return draftErrors.problem('DRAFT_FAILED_VALIDATION', {
    detail: `the ${kind} drafted by ${model} failed validation (${entries.length} ${entries.length === 1 ? 'error' : 'errors'})${first === undefined ? '' : `; first: ${first}`}`,
    errors: entries,
    extensions: { kind, model, worker_id: workerId, warnings },
  })
}

export function createDrafter(config: Readonly<DraftConfig>, deps: DrafterDeps): Drafter {
  const route = createModelRouter(deps.providers)
  const parseChatRequest = chatRequestParser(config)

  /** Validates the body, routes the model, finds the worker: in that order, so a bad request never costs a lookup. */
  const prepare = async (body: unknown): Promise<{ request: DraftRequest; model: string; target: ModelRoute; worker: WorkerProfile }> => {
    const request = parseDraftRequest(body)
    const model = request.model ?? config.defaultModel
    const target = route(model)
    if (target.type === 'local' && target.model !== 'local/template') {
      throw draftErrors.problem('DRAFT_UNKNOWN_MODEL', {
        detail: `model ${quoteCallerText(model)} cannot draft outreach; use local/template or a provider model`,
        extensions: { model },
      })
    }
    const worker = await deps.workers.get(request.worker_id)
    if (worker === undefined) {
      throw draftErrors.problem('DRAFT_WORKER_NOT_FOUND', {
        detail: `no worker with worker_id ${quoteCallerText(request.worker_id)}`,
        extensions: { worker_id: request.worker_id },
      })
    }
    return { request, model, target, worker }
  }

  const emailDraft = async (target: ModelRoute, facts: OutreachFacts, to: string): Promise<EmailDraft> => {
    if (target.type === 'local') return { to, ...composeEmail(facts) }
    const reply = await target.client.chat(target.name, emailPrompt(facts), {
      temperature: config.providerTemperature,
      maxTokens: config.emailMaxTokens,
    })
    return { to, subject: composeSubject(facts), body: tidyEmailBody(reply.content) }
  }

  const smsDraft = async (target: ModelRoute, facts: OutreachFacts, to: string): Promise<SmsDraft> => {
    if (target.type === 'local') return { to, body: composeSms(facts) }
    const reply = await target.client.chat(target.name, smsPrompt(facts), {
      temperature: config.providerTemperature,
      maxTokens: config.smsMaxTokens,
    })
    return { to, body: tidySmsBody(reply.content) }
  }

  /** Drafts, then validates; only a passing draft leaves this function. */
  const draft = async <D extends EmailDraft | SmsDraft>(
    kind: 'email' | 'sms',
    body: unknown,
    make: (target: ModelRoute, facts: OutreachFacts, worker: WorkerProfile) => Promise<D>,
  ) => {
    const { request, model, target, worker } = await prepare(body)
    const draft = await make(target, outreachFacts(worker, request.job), worker)
    const result = await deps.validator.validate(kind, draft)
    if (!result.valid) throw failedValidation(kind, model, request.worker_id, result.errors, result.warnings)
    return { worker_id: request.worker_id, model, draft, validation: { valid: true as const, warnings: result.warnings } }
  }

  return {
    async chat(body) {
      const request = parseChatRequest(body)
      const target = route(request.model)
      if (target.type === 'local') {
        const content = target.model === 'local/template' ? templateReply(request.messages) : echoReply(request.messages)
        return { model: request.model, message: { role: 'assistant', content } }
      }
      const reply = await target.client.chat(target.name, request.messages, {
        ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
        ...(request.max_tokens === undefined ? {} : { maxTokens: request.max_tokens }),
      })
      const usage = reply.usage
      return {
        model: request.model,
        message: { role: 'assistant', content: reply.content },
        ...(usage === undefined ? {} : { usage: { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens } }),
      }
    },
    draftEmail: (body) => draft('email', body, (target, facts, worker) => emailDraft(target, facts, worker.email)),
    draftSms: (body) => draft('sms', body, (target, facts, worker) => smsDraft(target, facts, worker.phone)),
    chatBody: parseChatRequest,
  }
}
