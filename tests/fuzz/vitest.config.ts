import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    // Each file boots its own Node and Bun pair; one file at a time keeps the 2-core machine
    // for the servers rather than for four of them.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
