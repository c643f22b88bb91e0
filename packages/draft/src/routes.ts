import { createRouter, type Handler, jsonBodyLimits, jsonResponse, readJsonBody } from '@lakehouse/kit'
import type { DraftConfig } from './config.ts'
import type { Drafter } from './draft.ts'
import { draftRouteDocs } from './route-docs.ts'

/**
 * The gateway dispatches on the path segment after `/v1/`, and this component owns two of them:
 * `/v1/chat` and `/v1/draft`. Routes are registered on full paths because requests arrive untouched.
 */
export const DRAFT_MOUNT_CHAT = '/v1/chat'
export const DRAFT_MOUNT = '/v1/draft'

export function createDraftHandler(drafter: Drafter, config: Readonly<DraftConfig>): Handler {
  const limits = jsonBodyLimits(config)
  const docs = draftRouteDocs(drafter.chatBody)
  return createRouter()
    .post(DRAFT_MOUNT_CHAT, docs.chat, async ({ req }) => jsonResponse(await drafter.chat(await readJsonBody(req, limits))))
    .post(`${DRAFT_MOUNT}/email`, docs.email, async ({ req }) => jsonResponse(await drafter.draftEmail(await readJsonBody(req, limits))))
    .post(`${DRAFT_MOUNT}/sms`, docs.sms, async ({ req }) => jsonResponse(await drafter.draftSms(await readJsonBody(req, limits))))
    .build()
}
