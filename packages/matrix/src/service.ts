import type { Embedder } from '@lakehouse/embed'
import { type Handler, type Logger, redact, SILENT_LOGGER } from '@lakehouse/kit'
import { type MatrixConfig, resolveMatrixConfig } from './config.ts'
import type { MatrixIndexes } from './indexes.ts'
import { createMatrix } from './matrix.ts'
import { openPlaybookStore } from './playbooks.ts'
import { parseRecordItems } from './record-request.ts'
import { createResultCache } from './result-cache.ts'
import { createMatrixHandler } from './routes.ts'
import type { MatrixSearchInput, MatrixSearchResponse, PlaybookRecordInput, PlaybookRecordResponse } from './types.ts'

export interface MatrixDeps {
  /** The vector indexes searched as corpora; the playbook index lives here too. */
  readonly indexes: MatrixIndexes
  /** Embeds queries (once per distinct index model) and playbook records. */
  readonly embedder: Embedder
  readonly logger?: Logger
  /** Clock for `recorded_at` and cache expiry; injected so tests can move time. */
  readonly now?: () => Date
}

export interface MatrixService {
  /** Serves `POST /v1/matrix/search` and `POST /v1/matrix/playbooks/record` on their full paths. */
  readonly handler: Handler
  /**
   * The same search as the endpoint, through the same cache. The result is frozen (it may be
   * the cached object); invalid input throws a 400 Problem, an unknown corpus a 404.
   */
  search(input: MatrixSearchInput): Promise<MatrixSearchResponse>
  /** Stores one or several playbook records (1..maxRecordItems) and invalidates cached playbook searches. */
  record(input: PlaybookRecordInput | readonly PlaybookRecordInput[]): Promise<PlaybookRecordResponse>
  /** Waits for running searches and records, then refuses new ones (503). The indexes are the caller's to close. */
  close(): Promise<void>
}

/** Resolves config, makes sure the playbook index exists, builds the route table: all before the first request. */
export async function createMatrixService(config: Partial<MatrixConfig> | undefined, deps: MatrixDeps): Promise<MatrixService> {
  const resolved = resolveMatrixConfig(config)
  const logger = (deps.logger ?? SILENT_LOGGER).child({ component: 'matrix' })
  const now = deps.now ?? (() => new Date())
  const playbooks = await openPlaybookStore(resolved.playbookIndex, { indexes: deps.indexes, embedder: deps.embedder, now, logger })
  const cache = createResultCache(resolved.cacheEntries, resolved.cacheTtlMs, () => now().getTime())
  const matrix = createMatrix(resolved, { indexes: deps.indexes, embedder: deps.embedder, playbooks, cache })
  logger.info('matrix service ready', { config: redact(resolved) })
  let closing: Promise<void> | undefined
  return {
    handler: createMatrixHandler(matrix, resolved),
    search: async (input) => (await matrix.search(input)).answer.body,
    async record(input) {
      const items = Array.isArray(input) ? input : [input]
      return matrix.record(parseRecordItems(items, resolved, Array.isArray(input) ? undefined : '$'))
    },
    close() {
      closing ??= matrix.close()
      return closing
    },
  }
}
