import { EMBEDDING_ERRORS } from '@lakehouse/embed'
import type { BodySchema, RouteDoc } from '@lakehouse/kit'
import type { BodyChecks } from './input-check.ts'
import { PLAYBOOK_OUTCOMES } from './types.ts'

/** Response header saying whether a search was served from the result cache; the body never says. */
export const CACHE_HEADER = 'x-cache'

const METADATA_SCHEMA: BodySchema = {
  type: 'object',
  additionalProperties: { type: ['string', 'number', 'boolean', 'null', 'array'], items: { type: 'string' } },
  description: "The item's metadata as the corpus (vector index) holds it.",
}

/** PlaybookMark (types.ts), as accumulateBoosts builds it. */
const PLAYBOOK_MARK_SCHEMA: BodySchema = {
  type: 'object',
  required: ['boost', 'matched'],
  additionalProperties: false,
  description: 'Only on a `use_playbook` search, for results that similar past records name.',
  properties: {
    boost: { type: 'number', description: 'Added to the corpus score; negative when failures outweigh successes.' },
    matched: {
      type: 'array',
      maxItems: 3,
      description: 'The most similar records behind the boost.',
      items: {
        type: 'object',
        required: ['query', 'similarity', 'outcome'],
        additionalProperties: false,
        properties: { query: { type: 'string' }, similarity: { type: 'number' }, outcome: { enum: [...PLAYBOOK_OUTCOMES] } },
      },
    },
  },
}

/** MatrixSearchResponse (types.ts). */
const SEARCH_ANSWER_SCHEMA: BodySchema = {
  type: 'object',
  required: ['query', 'results', 'count'],
  additionalProperties: false,
  properties: {
    query: { type: 'string', description: 'The query as searched: NFC, trimmed, whitespace runs collapsed, lower-cased.' },
    results: {
      type: 'array',
      description: 'Best first; ties by corpus, then id.',
      items: {
        type: 'object',
        required: ['id', 'corpus', 'score', 'metadata'],
        additionalProperties: false,
        properties: {
          id: { type: 'string' },
          corpus: { type: 'string' },
          score: { type: 'number', description: 'Corpus similarity plus the playbook boost, rounded to 6 decimals.' },
          metadata: METADATA_SCHEMA,
          playbook: PLAYBOOK_MARK_SCHEMA,
        },
      },
    },
    count: { type: 'integer', minimum: 0, description: 'Length of `results`.' },
  },
}

/** Vector codes a search or record surfaces unchanged: a corpus dropped while it ran. */
const VECTOR_RACE_ERRORS = ['VECTOR_INDEX_NOT_FOUND']

export interface MatrixRouteDocs {
  readonly search: RouteDoc
  readonly record: RouteDoc
}

/** `checks` are the compiled body checks the routes run (their schemas carry the configured ceilings). */
export function matrixRouteDocs(checks: BodyChecks): MatrixRouteDocs {
  return {
    search: {
      summary: 'Search the worker corpora, optionally boosted by past placements',
      description:
        'Embeds the query once per model, searches each corpus (a vector index), merges by score; `use_playbook` boosts workers that similar past records name. Answers are cached (docs/matrix.md).',
      body: checks.search,
      responses: {
        200: {
          description: 'The results, best first.',
          schema: SEARCH_ANSWER_SCHEMA,
          headers: { [CACHE_HEADER]: '`hit` when served from the result cache, `miss` otherwise; the body is byte-identical either way.' },
        },
      },
      errors: ['MATRIX_CORPUS_NOT_FOUND', 'MATRIX_CORPUS_INCOMPATIBLE', 'MATRIX_UNAVAILABLE', ...VECTOR_RACE_ERRORS, ...EMBEDDING_ERRORS],
    },
    record: {
      summary: 'Record playbook outcomes: which workers a query was placed with, and whether it worked',
      description:
        'One record, or `{items: [record, …]}`. Records fold into the playbook index (created on first use), so later `use_playbook` searches for similar queries boost these workers (docs/matrix.md).',
      body: checks.record,
      responses: {
        201: {
          description: 'Recorded.',
          schema: {
            type: 'object',
            required: ['recorded'],
            additionalProperties: false,
            properties: { recorded: { type: 'integer', minimum: 1, description: 'Records stored.' } },
          },
        },
      },
      // The playbook index is the vector service's: creating it (a dropped one comes back) and adding to it can fail there.
      errors: [
        'MATRIX_CORPUS_NOT_FOUND',
        'MATRIX_CORPUS_INCOMPATIBLE',
        'MATRIX_PLAYBOOK_INDEX_INVALID',
        'MATRIX_UNAVAILABLE',
        ...VECTOR_RACE_ERRORS,
        'VECTOR_INDEX_CONFLICT',
        'VECTOR_INDEX_UNAVAILABLE',
        'VECTOR_PERSIST_FAILED',
        'VECTOR_BATCH_TOO_LARGE',
        ...EMBEDDING_ERRORS,
      ],
    },
  }
}
