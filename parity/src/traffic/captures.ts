/**
 * Captures from recorded traffic: a value a response generated (an id, an etag, a token) that
 * a later request sends again becomes a `capture` on the step whose response produced it and
 * `{{var}}` in the later request, so the replay sends each target its own generated value.
 *
 * Only whole tokens match — a path segment, a query value, a header value, a whole JSON string
 * or number — never a substring of other text. A value counts as generated only if no request
 * up to and including the producing one sent it (an echoed title is not an id), and the first
 * response that generated it is its source.
 */
import { formatPath, type PathSegment } from '../diff/json-path.ts'
import { looksLikeId } from '../findings/endpoint.ts'
import type { Draft } from './draft.ts'

/** Shortest text of a captured value: `1` or `ok` reused later is more likely a coincidence than a flow. */
export const MIN_CAPTURE_CHARS = 3

/** Response headers whose values are handed back by clients. */
const CAPTURED_HEADER = /^(etag|location)$|token|csrf|xsrf|session/

/** Members whose name says nothing about what they hold: `$.data.id` is named after the resource. */
const GENERIC = new Set(['data', 'result', 'results', 'items', 'item', 'body', 'payload', 'attributes', 'value', 'values', 'records'])

interface Source {
  readonly producer: Draft
  readonly from: 'body' | 'header'
  readonly path: string
  /** Members and indexes of a body value, for naming. */
  readonly segments: readonly PathSegment[]
  /** Set once a later request used it. */
  name?: string
}

/** Map keys keep JSON types apart where a JSON body needs them: `s:abc`, `n:42`. */
const keyOf = (v: string | number) => (typeof v === 'number' ? `n:${v}` : `s:${v}`)

function generated(v: unknown): v is string | number {
  if (typeof v === 'number') return Number.isSafeInteger(v) && String(v).length >= MIN_CAPTURE_CHARS
  if (typeof v !== 'string' || v.length < MIN_CAPTURE_CHARS || /\s/.test(v)) return false
  // Words (`published`, `admin`) recur by coincidence; ids, etags and tokens carry digits or are long.
  // (20, not 16: `application/json` is 16 characters.)
  return /\d/.test(v) || v.length >= 20 || looksLikeId(v)
}

/**
 * An id a write just created (`POST /posts` → `{"id": 21}`), however short: the one short value
 * a later request reusing is a flow, not a coincidence. Reads are not offered short ids, so
 * `GET /posts/1` does not come to depend on the order of an earlier list.
 */
function createdId(v: unknown, at: readonly PathSegment[], method: string): v is string | number {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return false
  const last = at.at(-1)
  if (last?.kind !== 'member' || !/(^id$|_id$|[a-z]Id$)/.test(last.name)) return false
  return (typeof v === 'number' && Number.isSafeInteger(v)) || (typeof v === 'string' && v !== '' && !/\s/.test(v))
}

function walkJson(value: unknown, at: PathSegment[], visit: (v: unknown, at: PathSegment[]) => void, depth = 0): void {
  if (depth > 64) return
  if (Array.isArray(value)) {
    for (const [i, el] of value.entries()) walkJson(el, [...at, { kind: 'index', index: i }], visit, depth + 1)
  } else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) walkJson(v, [...at, { kind: 'member', name: k }], visit, depth + 1)
  else visit(value, at)
}

const snake = (text: string) =>
  text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')

/** `/posts` → `post`: the last named (not id-like) path segment, singular. */
function resourceNoun(d: Draft): string {
  const named = d.segments.filter((s) => s !== '' && !looksLikeId(s) && !s.includes('{{'))
  const last = snake(decodeURIComponent(named.at(-1) ?? ''))
  return last.length > 3 && last.endsWith('s') && !last.endsWith('ss') ? last.slice(0, -1) : last
}

/** `$.id` of `POST /posts` → `post_id`; `$.user.token` → `user_token`; header `etag` → `etag`. */
function baseName(s: Source): string {
  if (s.from === 'header') return snake(s.path)
  const members = s.segments.flatMap((x) => (x.kind === 'member' ? [x.name] : []))
  const last = snake(members.at(-1) ?? '')
  if (last !== '' && last !== 'id' && last !== 'uuid' && last !== 'key') return last
  const parent = members
    .slice(0, -1)
    .reverse()
    .map(snake)
    .find((m) => m !== '' && !GENERIC.has(m))
  const noun = parent ?? resourceNoun(s.producer)
  return [noun, last || 'value'].filter((x) => x !== '').join('_')
}

function nameFor(s: Source, taken: Set<string>): string {
  let base = baseName(s) || 'value'
  if (/^\d/.test(base)) base = `v_${base}`
  let name = base
  if (taken.has(name)) name = `${base}_${s.producer.index + 1}`
  for (let n = 2; taken.has(name) && n < 10_000; n++) name = `${base}_${s.producer.index + 1}_${n}`
  taken.add(name)
  return name
}

/** Request headers that describe the request's own format: their values are never someone's id. */
const DESCRIPTIVE_HEADERS = new Set(['content-type', 'accept', 'accept-language'])

/** A path segment may carry a value only if filling it in verbatim rebuilds the same segment. */
const PATH_SAFE = /^[^/?#%\s]+$/

/**
 * Finds every reuse in request order and rewrites the drafts in place: `capture` on producers,
 * `{{var}}` in consumers (`usesCapture`). Returns how many variables were captured.
 */
export function applyCaptures(drafts: readonly Draft[]): number {
  const sources = new Map<string, Source>()
  const sent = new Set<string>()
  const taken = new Set<string>()
  let captures = 0

  const use = (key: string, d: Draft): string | undefined => {
    const s = sources.get(key)
    if (s === undefined || s.producer.index >= d.index) return undefined
    if (s.name === undefined) {
      s.name = nameFor(s, taken)
      s.producer.capture[s.name] = { from: s.from, path: s.path }
      captures++
    }
    d.usesCapture = true
    return `{{${s.name}}}`
  }
  /** A string from a path, query or header matches a string or a number the response produced. */
  const useText = (text: string, d: Draft) => use(keyOf(text), d) ?? (/^-?\d+$/.test(text) ? use(keyOf(Number(text)), d) : undefined)

  for (const d of drafts) {
    const tokens: string[] = []
    // 1. This request's reuses of earlier responses.
    // An id in a segment reads better than a whole-path `{{location}}`; that is the fallback.
    const path = d.segments.join('/')
    const segments = d.segments.map((seg) => (seg !== '' && PATH_SAFE.test(seg) ? (useText(seg, d) ?? seg) : seg))
    const whole = sources.get(keyOf(path))
    if (segments.join('/') === path && whole?.from === 'header' && whole.path === 'location') d.wholePath = use(keyOf(path), d)
    else d.segments = segments
    tokens.push(path, ...path.split('/'))
    d.query = d.query?.map(([k, v]) => {
      tokens.push(v)
      return [k, useText(v, d) ?? v]
    })
    for (const [k, v] of Object.entries(d.headers)) {
      tokens.push(v)
      if (!DESCRIPTIVE_HEADERS.has(k)) d.headers[k] = useText(v, d) ?? v
    }
    if (d.body.kind === 'json') {
      const replace = (value: unknown): unknown => {
        if (typeof value === 'string' || typeof value === 'number') {
          tokens.push(String(value))
          // `"{{var}}"` alone keeps the captured type, so a number only matches a number.
          return use(keyOf(value), d) ?? value
        }
        if (Array.isArray(value)) return value.map(replace)
        if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]))
        return value
      }
      d.body.value = replace(d.body.value)
    }
    for (const t of tokens) {
      sent.add(keyOf(t))
      if (/^-?\d+$/.test(t)) sent.add(keyOf(Number(t)))
    }

    // 2. What this response generated, for later requests.
    const offer = (v: string | number, s: Omit<Source, 'producer'>) => {
      const key = keyOf(v)
      if (!sent.has(key) && !sources.has(key)) sources.set(key, { ...s, producer: d })
    }
    // A write's new id is its own even when an earlier request sent the same text: services
    // reuse ids (json-server hands out max+1 again after a DELETE), and the newest creation is
    // what the next request means. Only an echo of this very request is not generated.
    const own = new Set(tokens.flatMap((t) => (/^-?\d+$/.test(t) ? [keyOf(t), keyOf(Number(t))] : [keyOf(t)])))
    const offerCreated = (v: string | number, s: Omit<Source, 'producer'>) => {
      const key = keyOf(v)
      if (!own.has(key)) sources.set(key, { ...s, producer: d })
    }
    const e = d.exchange
    for (const [name, value] of Object.entries(e.responseHeaders))
      if (CAPTURED_HEADER.test(name) && value.length >= MIN_CAPTURE_CHARS && !value.includes(','))
        offer(value, { from: 'header', path: name, segments: [] })
    if (e.responseBody.kind === 'json') {
      let parsed: unknown
      try {
        parsed = JSON.parse(e.responseBody.text)
      } catch {
        parsed = undefined
      }
      walkJson(parsed, [], (v, at) => {
        const source = { from: 'body' as const, path: formatPath(at), segments: at }
        if (createdId(v, at, e.method)) offerCreated(v, source)
        else if (generated(v)) offer(v, source)
      })
    }
  }
  return captures
}
