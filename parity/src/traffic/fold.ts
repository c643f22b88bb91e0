/**
 * Folding near-duplicates: a session calls `GET /posts/{id}` a hundred times; the corpus needs
 * the call once, with how often it happened as its weight (`pnpm load` replays that mix).
 * Exchanges fold when method, endpoint template (ids generalised, findings/endpoint.ts), query
 * parameter names (`?_page=2&_limit=5` is another request than `?q=x`, whatever the values),
 * request body shape (keys and types, not values) and response status are the same.
 * Exchanges that are part of a flow — their response feeds a capture, or their request uses
 * one — never fold, so every captured variable keeps its producer and consumers.
 */
import { endpointOf } from '../findings/endpoint.ts'
import { type Draft, stepPath } from './draft.ts'

/** The shape of a JSON value: keys and types, no values. Arrays take the shapes of their elements, deduplicated. */
export function jsonShape(value: unknown, depth = 0): string {
  if (depth > 32) return '…'
  if (value === null) return 'null'
  if (Array.isArray(value)) return `[${[...new Set(value.map((v) => jsonShape(v, depth + 1)))].sort().join('|')}]`
  if (typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${jsonShape((value as Record<string, unknown>)[k], depth + 1)}`)
      .join(',')}}`
  return typeof value
}

function foldKey(d: Draft): string {
  const shape = d.body.kind === 'json' ? jsonShape(d.body.value) : d.body.kind
  const names = (d.query ?? queryPairs(d.rawQuery)).map(([k]) => k)
  const query = [...new Set(names)].sort().join('&')
  return `${endpointOf(d.method, stepPath(d))}\0${query}\0${shape}\0${d.exchange.status}`
}

function queryPairs(raw: string | undefined): [string, string][] {
  return raw === undefined ? [] : [...new URLSearchParams(raw)]
}

export interface Folded {
  readonly draft: Draft
  /** How many recorded exchanges this one stands for (itself included). */
  weight: number
}

/** Drafts in order, each with its weight; `enabled: false` keeps every one with weight 1. */
export function fold(drafts: readonly Draft[], enabled: boolean): Folded[] {
  const out: Folded[] = []
  const first = new Map<string, Folded>()
  for (const d of drafts) {
    const inFlow = d.usesCapture || Object.keys(d.capture).length > 0
    if (!enabled || inFlow) {
      out.push({ draft: d, weight: 1 })
      continue
    }
    const key = foldKey(d)
    const into = first.get(key)
    if (into !== undefined) {
      into.weight++
      continue
    }
    const kept = { draft: d, weight: 1 }
    first.set(key, kept)
    out.push(kept)
  }
  return out
}
