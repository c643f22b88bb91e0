import type { FuzzRequest } from './http-arbitraries.ts'
import type { Seen } from './http-client.ts'
import { type RawCase, type RawKind, REPRODUCTIONS } from './raw-cases.ts'
import { checkProblem } from './verdict.ts'

/**
 * Failures the suite knows about and does not fail on, each described under "Known gaps" in
 * docs/fuzz.md. Most are the runtimes' HTTP parsers (Bun's above all) answering before any code
 * of ours runs (docs/limits.md, tracker D-009); a few are open bugs in a component. A gap
 * explains a request only when its pair of answers is exactly that gap (the other side a sound
 * answer of ours), so anything worse on either side still fails. The suites run each gap's
 * reproduction and fail once it no longer reproduces: then delete the entry here and its
 * paragraph in docs/fuzz.md.
 */
export type KnownGap = RawGap | HttpGap

interface GapBase {
  /** The heading of its paragraph in docs/fuzz.md. */
  readonly id: string
}

/** A gap in raw-socket exchanges (test/raw-fuzz.test.ts). */
export interface RawGap extends GapBase {
  readonly via: 'raw'
  /** The raw-case kinds it may explain. */
  readonly kinds: readonly RawKind[]
  matches(node: Seen, bun: Seen, ctx: GapContext): boolean
  /** A case that shows it today. */
  readonly reproduction: (n: number) => RawCase
}

/** A gap in generated HTTP requests (test/http-fuzz.test.ts). */
export interface HttpGap extends GapBase {
  readonly via: 'http'
  matches(req: FuzzRequest, node: Seen, bun: Seen, ctx: GapContext): boolean
  /** A request that shows it today. */
  readonly reproduction: FuzzRequest
}

export interface GapContext {
  readonly codes: ReadonlyMap<string, number>
  /** The request's method (a HEAD answer has no body to check). */
  readonly method: string
}

/** An answer of ours: problem+json with a documented code at its documented status, and a request id. */
function soundProblem(seen: Seen, ctx: GapContext, status?: number): boolean {
  if (seen.outcome !== 'answered' || seen.requestId === undefined) return false
  if (status !== undefined && seen.status !== status) return false
  return checkProblem(seen, ctx).problems.length === 0
}

/** An answer of ours of any kind below 500 (a component served or refused the request). */
function appAnswer(seen: Seen, ctx: GapContext): boolean {
  if (seen.outcome !== 'answered' || seen.requestId === undefined || (seen.status ?? 500) >= 500) return false
  return (seen.status ?? 0) < 400 || soundProblem(seen, ctx)
}

/** A parser answering on its own: no request id, not a problem. */
function parserAnswer(seen: Seen, status: number): boolean {
  const mime = seen.contentType?.split(';')[0]?.trim().toLowerCase()
  return seen.outcome === 'answered' && seen.status === status && seen.requestId === undefined && mime !== 'application/problem+json'
}

const FRAMING: readonly RawKind[] = [
  'bad-request-line',
  'bad-version',
  'dup-content-length',
  'bad-content-length',
  'cl-and-te',
  'bad-chunk-size',
  'bad-transfer-encoding',
  'header-syntax',
  'long-target',
  'long-header',
  'many-headers',
  'bad-host',
  'unknown-method',
  'ctl-in-target',
  'http10-no-host',
]

/** Known gaps: see docs/fuzz.md, "Known gaps". Keep this list and that section in step. */
export const KNOWN_GAPS: readonly KnownGap[] = [
  {
    via: 'raw',
    id: 'bun-parser-plain-answers',
    kinds: FRAMING,
    matches: (node, bun, ctx) => [400, 431, 505].some((status) => soundProblem(node, ctx, status) && parserAnswer(bun, status)),
    reproduction: REPRODUCTIONS.duplicateContentLength,
  },
  {
    via: 'raw',
    id: 'bun-505-for-a-bad-target',
    kinds: ['nul-in-target', 'space-in-target', 'ctl-in-target', 'bad-request-line', 'bad-version', 'unknown-method'],
    matches: (node, bun, ctx) => soundProblem(node, ctx, 400) && parserAnswer(bun, 505),
    reproduction: REPRODUCTIONS.nulInTarget,
  },
  {
    via: 'raw',
    id: 'bun-closes-on-an-unknown-method',
    kinds: ['unknown-method'],
    matches: (node, bun, ctx) => soundProblem(node, ctx, 400) && bun.outcome === 'closed',
    reproduction: REPRODUCTIONS.unknownMethod,
  },
  {
    via: 'raw',
    id: 'bun-parser-accepts-what-node-refuses',
    kinds: ['ctl-in-target', 'dup-content-length', 'bad-content-length', 'bad-chunk-size', 'bad-transfer-encoding', 'header-syntax'],
    matches: (node, bun, ctx) => soundProblem(node, ctx, 400) && appAnswer(bun, ctx),
    reproduction: REPRODUCTIONS.delInTarget,
  },
  {
    via: 'raw',
    id: 'node-parser-accepts-what-bun-refuses',
    kinds: ['bad-request-line', 'unknown-method'],
    matches: (node, bun, ctx) => appAnswer(node, ctx) && parserAnswer(bun, 400),
    reproduction: REPRODUCTIONS.doubleSpace,
  },
  {
    via: 'http',
    id: 'bun-431-for-a-long-generated-target',
    // The request line alone is past the 16 KiB header budget: the parsers answer, not the gateway.
    matches: (req, node, bun, ctx) => req.target.length > 16 * 1024 && soundProblem(node, ctx, 431) && parserAnswer(bun, 431),
    reproduction: {
      kind: 'param:long',
      route: 'GET /v1/catalog/datasets/:name',
      method: 'GET',
      target: `/v1/catalog/datasets/${'a'.repeat(17 * 1024)}`,
      headers: {},
      body: undefined,
      chunked: false,
    },
  },
]

/** The raw gap that explains this pair of first answers, if any. */
export function knownRawGap(c: RawCase, node: Seen, bun: Seen, ctx: GapContext): RawGap | undefined {
  return KNOWN_GAPS.find((g): g is RawGap => g.via === 'raw' && g.kinds.includes(c.kind) && g.matches(node, bun, ctx))
}

/** The HTTP gap that explains this pair of answers, if any. */
export function knownHttpGap(req: FuzzRequest, node: Seen, bun: Seen, ctx: GapContext): HttpGap | undefined {
  return KNOWN_GAPS.find((g): g is HttpGap => g.via === 'http' && g.matches(req, node, bun, ctx))
}
