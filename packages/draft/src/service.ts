import { configError, type Handler, isProblem, type Logger, redact, SILENT_LOGGER } from '@lakehouse/kit'
import type { ProviderClient } from '@lakehouse/providers'
import { type DraftConfig, resolveDraftConfig } from './config.ts'
import { createDrafter } from './draft.ts'
import { createModelRouter } from './model-route.ts'
import { createDraftHandler } from './routes.ts'
import type {
  ChatRequest,
  ChatResponse,
  DraftRequest,
  DraftValidator,
  EmailDraftResponse,
  SmsDraftResponse,
  WorkerSource,
} from './types.ts'

export interface DraftDeps {
  /** Where `worker_id`s are looked up: `createQueryWorkerSource(query)` in the gateway, in-memory in tests. */
  readonly workers: WorkerSource
  /** Every draft is checked with it before it is returned; `createValidatorService()` fits. */
  readonly validator: DraftValidator
  /**
   * Provider clients by kind (`ollama`, `openai`); other keys are ignored. The caller owns them:
   * they are shared with embed, so `close()` leaves them open.
   */
  readonly providers?: Readonly<Record<string, ProviderClient>>
  readonly logger?: Logger
}

export interface DraftService {
  /** Serves `POST /v1/chat`, `POST /v1/draft/email` and `POST /v1/draft/sms` on their full paths. */
  readonly handler: Handler
  /** As `POST /v1/chat`; the request is checked like a body and Problems are thrown. */
  chat(request: ChatRequest): Promise<ChatResponse>
  /** As `POST /v1/draft/email`: only a draft that passed the validator is returned, else DRAFT_FAILED_VALIDATION is thrown. */
  draftEmail(request: DraftRequest): Promise<EmailDraftResponse>
  /** As `POST /v1/draft/sms`, with the same guarantee. */
  draftSms(request: DraftRequest): Promise<SmsDraftResponse>
  close(): Promise<void>
}

/** Routes and the model table are built here, once; a default model that cannot be routed fails at boot. */
export function createDraftService(config: Partial<DraftConfig> | undefined, deps: DraftDeps): DraftService {
  const resolved = resolveDraftConfig(config)
  const providers = deps.providers ?? {}
  try {
    createModelRouter(providers)(resolved.defaultModel)
  } catch (err) {
    if (!isProblem(err)) throw err
    configError('draft.defaultModel', err.detail)
  }
  const drafter = createDrafter(resolved, { workers: deps.workers, validator: deps.validator, providers })
  const logger = deps.logger ?? SILENT_LOGGER
  logger.info('draft service ready', { config: redact(resolved), providers: Object.keys(providers).sort() })
  return {
    handler: createDraftHandler(drafter, resolved),
    chat: (request) => drafter.chat(request),
    draftEmail: (request) => drafter.draftEmail(request),
    draftSms: (request) => drafter.draftSms(request),
    async close() {
      // Nothing to release: no timers, no connections of our own (providers belong to the caller).
    },
  }
}
