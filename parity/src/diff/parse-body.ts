/**
 * Observed body → comparable value. JSON goes through lossless-json so number literals keep
 * their text (DESIGN.md §7): JSON.parse would make `1.0` and `1` the same and round
 * `9007199254740993` to `9007199254740992`.
 */
import { parse } from 'lossless-json'
import type { ObservedBody } from '../model.ts'

export type ParsedBody =
  | { readonly kind: 'empty' }
  /** Numbers are LosslessNumber; objects are plain (a `__proto__` member is an own property). */
  | { readonly kind: 'json'; readonly value: unknown }
  /** A body labelled JSON that does not parse is compared as text; `jsonError` says why. */
  | { readonly kind: 'text'; readonly text: string; readonly jsonError?: string }
  | { readonly kind: 'binary'; readonly base64: string; readonly size: number }

export function parseBody(body: ObservedBody): ParsedBody {
  if (body.kind !== 'json') return body
  try {
    // Last duplicate wins, as with JSON.parse and every mainstream client; lossless-json would throw.
    const value = parse(body.text, null, { onDuplicateKey: ({ newValue }) => newValue })
    return { kind: 'json', value }
  } catch (error) {
    return { kind: 'text', text: body.text, jsonError: error instanceof Error ? error.message : String(error) }
  }
}
