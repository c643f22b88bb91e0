import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Embedder } from '@lakehouse/embed'
import { createVectorService, type SearchInput, type VectorConfig, type VectorService } from '@lakehouse/vector'
import { afterAll } from 'vitest'

const opened: VectorService[] = []
const dirs: string[] = []
afterAll(async () => {
  for (const vector of opened.splice(0)) await vector.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

export interface TestIndexes extends VectorService {
  /** Every search matrix asked of the index service: index name and input. */
  readonly searches: { name: string; input: SearchInput }[]
}

/**
 * The real vector service (no stand-in whose semantics could drift from it) on a fresh temp
 * directory, with saves deferred past the test. Indexes up to `exactBelow` items (64 by default,
 * more than the 48 fixture workers) are searched exactly, so rankings are the ideal ones.
 */
export async function createTestIndexes(embedder: Embedder, config: Partial<VectorConfig> = {}): Promise<TestIndexes> {
  const dir = mkdtempSync(join(tmpdir(), 'matrix-vector-'))
  dirs.push(dir)
  const vector = await createVectorService({ saveDelayMs: 60_000, ...config }, { dir, embedder })
  opened.push(vector)
  const searches: { name: string; input: SearchInput }[] = []
  return {
    ...vector,
    searches,
    search(name, input) {
      searches.push({ name, input })
      return vector.search(name, input)
    },
  }
}
