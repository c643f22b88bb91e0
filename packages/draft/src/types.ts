import type { ChatMessage } from '@lakehouse/providers'

/** One worker as the drafter sees it: the columns of the workers dataset it uses, normalised. */
export interface WorkerProfile {
  readonly worker_id: string
  /** Full name as stored ("Maria L. Garcia"); the drafts greet the first word. Empty when unknown. */
  readonly name: string
  readonly email: string
  readonly phone: string
  readonly role: string
  readonly city: string
  readonly state: string
  /** The dataset stores these `"; "`-joined; here they are split, trimmed, empties dropped. */
  readonly skills: readonly string[]
  readonly certifications: readonly string[]
  /** Whole years; null when the dataset has no usable number. */
  readonly years_experience: number | null
}

/** Where drafts find workers. `undefined` means "no such worker" (→ 404), never an error. */
export interface WorkerSource {
  get(workerId: string): Promise<WorkerProfile | undefined>
}

/** The job a draft advertises. Text members are single-lined (whitespace runs → one space) before use. */
export interface JobSpec {
  readonly title: string
  readonly site: string
  readonly city?: string
  /** `YYYY-MM-DD` (rendered as a weekday and date) or free text used as written ("next Monday"). */
  readonly start: string
  readonly shift?: string
  /** Free text ("$21/hr") or a number of dollars per hour (21 → "$21/hr", 21.5 → "$21.50/hr"). */
  readonly pay_rate?: string | number
  readonly contact_name?: string
  readonly contact_phone?: string
}

/** `POST /v1/draft/email` and `POST /v1/draft/sms` bodies. */
export interface DraftRequest {
  readonly worker_id: string
  readonly job: JobSpec
  /** Default `config.defaultModel` (`local/template`). */
  readonly model?: string
}

export interface EmailDraft {
  readonly to: string
  readonly subject: string
  readonly body: string
}

export interface SmsDraft {
  readonly to: string
  readonly body: string
}

/** What the validator said about a draft that passed. A failing draft is a 422, never a 200. */
export interface DraftValidation {
  readonly valid: true
  readonly warnings: readonly unknown[]
}

export interface DraftResponse<D> {
  readonly worker_id: string
  readonly model: string
  readonly draft: D
  readonly validation: DraftValidation
}

export type EmailDraftResponse = DraftResponse<EmailDraft>
export type SmsDraftResponse = DraftResponse<SmsDraft>

/** `POST /v1/chat` body. */
export interface ChatRequest {
  /** `local/<name>`, `ollama/<model>` or `openai/<model>`. */
  readonly model: string
  readonly messages: readonly ChatMessage[]
  /** 0..2; passed to providers, ignored by the built-in models. */
  readonly temperature?: number
  /** 1..`maxTokensLimit`; passed to providers, ignored by the built-in models. */
  readonly max_tokens?: number
}

export interface ChatUsage {
  readonly prompt_tokens: number
  readonly completion_tokens: number
}

export interface ChatResponse {
  /** The model as requested, prefix included. */
  readonly model: string
  readonly message: { readonly role: 'assistant'; readonly content: string }
  /** As reported by the provider; absent for the built-in models. */
  readonly usage?: ChatUsage
}

/** The slice of the validator service the drafter needs (`createValidatorService(...)` fits). */
export interface DraftValidator {
  validate(
    kind: string,
    payload: unknown,
  ): Promise<{ readonly valid: boolean; readonly warnings: readonly unknown[]; readonly errors: readonly unknown[] }>
}
