import { defineConfig } from 'vitest/config'

// The property and recall tests do thousands of HNSW operations; on a loaded 2-core CI box
// (turbo runs packages in parallel) they outlive vitest's 5 s default without being wrong.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 120_000 } })
