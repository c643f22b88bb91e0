import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Embedder } from '@lakehouse/embed'
import { defineErrors } from '@lakehouse/kit'
import { jsonRequest } from '@lakehouse/kit/testing'
import { afterAll } from 'vitest'
import { createVectorService, type Metric, type VectorConfig, type VectorService } from '../src/index.ts'

export { seededRandom as prng } from '@lakehouse/kit/testing'

export function randomVector(rand: () => number, dim: number): number[] {
  return Array.from({ length: dim }, () => Math.round((rand() * 2 - 1) * 1000) / 1000)
}

const fakeErrors = defineErrors('fake', {
  FAKE_UNKNOWN_MODEL: { status: 400, title: 'Unknown Model', description: 'The fake embedder knows fake/hash-<dim> only.' },
})

/** FNV-1a over UTF-16 code units. */
function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0
  return h
}

export interface FakeEmbedder extends Embedder {
  readonly calls: { texts: readonly string[]; model: string | undefined }[]
}

/**
 * Deterministic stand-in for @lakehouse/embed: each lower-cased word adds ±1 to one of `dim`
 * buckets (signed feature hashing), then L2-normalised. Models are `fake/hash-<dim>`.
 */
export function fakeEmbedder(defaultDim = 16): FakeEmbedder {
  const calls: { texts: readonly string[]; model: string | undefined }[] = []
  return {
    defaultModel: `fake/hash-${defaultDim}`,
    calls,
    async embed(texts, model) {
      calls.push({ texts, model })
      const name = model ?? `fake/hash-${defaultDim}`
      const m = /^fake\/hash-(\d+)$/.exec(name)
      if (m === null) throw fakeErrors.problem('FAKE_UNKNOWN_MODEL', { detail: `no model ${name}` })
      const dim = Number(m[1])
      const vectors = texts.map((text) => {
        const v = new Float32Array(dim)
        for (const word of text.toLowerCase().split(/\W+/).filter(Boolean)) {
          const h = hash(word)
          v[h % dim] = (v[h % dim] as number) + (h & 0x80000000 ? -1 : 1)
        }
        let sum = 0
        for (const x of v) sum += x * x
        if (sum > 0) for (let i = 0; i < dim; i++) v[i] = (v[i] as number) / Math.sqrt(sum)
        return v
      })
      return { model: name, dim, vectors }
    },
  }
}

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'vector-test-'))
  dirs.push(d)
  return d
}

/** A service on a fresh (or given) directory with a long save delay, so tests decide when to flush. */
export async function service(
  config: Partial<VectorConfig> = {},
  dir = tempDir(),
  embedder: Embedder = fakeEmbedder(),
): Promise<VectorService> {
  return createVectorService({ saveDelayMs: 60_000, ...config }, { dir, embedder })
}

// biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected freely
export type Json = any

export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly body: Json
}

export async function call(svc: VectorService, method: string, path: string, body?: unknown): Promise<Reply> {
  const res = await svc.handler(jsonRequest(method, path, body))
  const text = await res.text()
  return { status: res.status, headers: res.headers, text, body: text === '' ? undefined : JSON.parse(text) }
}

/**
 * The reference model for search: brute force over plain objects, scores computed the way
 * the package documents them (float32 storage, unit-length for cos, double arithmetic).
 */
export interface RefItem {
  readonly id: string
  readonly vector: Float32Array
  readonly metadata: Record<string, unknown>
}

export function refPrepare(values: readonly number[], metric: Metric): Float32Array {
  const v = Float32Array.from(values)
  if (metric !== 'cos') return v
  let sum = 0
  for (const x of v) sum += x * x
  if (sum === 0) return v
  const inv = 1 / Math.sqrt(sum)
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * inv
  return v
}

export function refScore(metric: Metric, q: Float32Array, v: Float32Array): number {
  let sum = 0
  for (let i = 0; i < q.length; i++) {
    if (metric === 'l2sq') {
      const d = (q[i] as number) - (v[i] as number)
      sum += d * d
    } else sum += (q[i] as number) * (v[i] as number)
  }
  return metric === 'l2sq' ? 0 - sum : sum
}

export function bruteForce(
  items: Iterable<RefItem>,
  metric: Metric,
  query: readonly number[],
  k: number,
  exclude: ReadonlySet<string> = new Set(),
  keep: (item: RefItem) => boolean = () => true,
): { id: string; score: number }[] {
  const q = refPrepare(query, metric)
  const scored = [...items]
    .filter((it) => !exclude.has(it.id) && keep(it))
    .map((it) => ({ id: it.id, score: refScore(metric, q, it.vector) }))
  scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return scored.slice(0, k)
}
