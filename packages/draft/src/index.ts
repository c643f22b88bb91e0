export { type DraftConfig, draftDefaults, resolveDraftConfig } from './config.ts'
export { composeEmail, composeEmailBody, composeSubject, SUBJECT_TARGET } from './email-composer.ts'
export { type DraftErrorCode, draftErrors } from './errors.ts'
export { formatPay, formatStart } from './job-details.ts'
export { LOCAL_MODELS, type LocalModel, PROVIDER_PREFIXES } from './model-route.ts'
export { MAX_CERTIFICATIONS, MAX_SKILLS, type OutreachFacts, outreachFacts } from './outreach-facts.ts'
export { extractPromptFacts, LINE_KEYS, type PromptFacts } from './prompt-facts.ts'
export { DRAFT_SYSTEM_PROMPT } from './provider-prompts.ts'
export { createQueryWorkerSource, type WorkerQuery } from './query-worker-source.ts'
export { CHAT_REQUEST_SCHEMA, chatRequestSchema, DRAFT_REQUEST_SCHEMA } from './request-body.ts'
export { DRAFT_MOUNT, DRAFT_MOUNT_CHAT } from './routes.ts'
export { createDraftService, type DraftDeps, type DraftService } from './service.ts'
export { composeSms, DROP_CAPS, DROP_ORDER, FIELD_CAPS, SHORTEN_ORDER } from './sms-composer.ts'
export { TEMPLATE_HELP, templateReply } from './template-model.ts'
export type {
  ChatRequest,
  ChatResponse,
  ChatUsage,
  DraftRequest,
  DraftResponse,
  DraftValidation,
  DraftValidator,
  EmailDraft,
  EmailDraftResponse,
  JobSpec,
  SmsDraft,
  SmsDraftResponse,
  WorkerProfile,
  WorkerSource,
} from './types.ts'
export { toWorkerProfile, type WorkerRecord } from './worker-profile.ts'
export { createInMemoryWorkerSource } from './worker-source.ts'
