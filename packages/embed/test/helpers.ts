import { isProblem, type Problem } from '@lakehouse/kit'
import { jsonRequest } from '@lakehouse/kit/testing'
import type { ProviderClient } from '@lakehouse/providers'
import type { EmbedService } from '../src/index.ts'

// biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected freely
export type Json = any

export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly body: Json
}

export async function send(svc: EmbedService, req: Request): Promise<Reply> {
  const res = await svc.handler(req)
  const text = await res.text()
  return { status: res.status, headers: res.headers, text, body: text === '' ? undefined : JSON.parse(text) }
}

export const post = (svc: EmbedService, body: unknown, path = '/v1/embed') => send(svc, jsonRequest('POST', path, body))

/** [kind, field, reason] of each problem entry. */
export const triples = (errors: Json[] | undefined) => (errors ?? []).map((e: Json) => [e.kind, e.field, e.reason])

export async function problemOf(p: Promise<unknown>): Promise<Problem> {
  try {
    await p
  } catch (err) {
    if (isProblem(err)) return err
    throw err
  }
  throw new Error('expected a Problem, the call succeeded')
}

/** A ProviderClient whose embeddings come from `vectors(model, texts)`; remembers each call. */
export function fakeProvider(
  vectors: (model: string, texts: readonly string[]) => unknown,
): ProviderClient & { readonly calls: { model: string; texts: readonly string[] }[] } {
  const calls: { model: string; texts: readonly string[] }[] = []
  return {
    kind: 'ollama',
    calls,
    async embed(model, texts) {
      calls.push({ model, texts })
      return vectors(model, texts) as number[][]
    },
    async chat() {
      return { content: '' }
    },
    async close() {},
  }
}
