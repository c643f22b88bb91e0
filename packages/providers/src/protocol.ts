import type { ChatCompletion, ChatMessage, ChatOptions } from './types.ts'

/**
 * The wire dialect of one kind of model server: paths, request bodies, and how to read (and
 * check) the answers. Transport, retries and errors are shared; only this differs per kind.
 */
export interface Protocol {
  readonly embedPath: string
  embedBody(model: string, texts: readonly string[]): unknown
  /** `label` prefixes any PROVIDER_BAD_RESPONSE detail. */
  embedVectors(label: string, json: unknown, count: number): number[][]
  readonly chatPath: string
  chatBody(model: string, messages: readonly ChatMessage[], options: ChatOptions): unknown
  chatCompletion(label: string, json: unknown): ChatCompletion
}

/** Copies only role and content, so extra properties on a caller's objects never reach the upstream. */
export function wireMessages(messages: readonly ChatMessage[]): { role: string; content: string }[] {
  return messages.map((m) => ({ role: m.role, content: m.content }))
}
