import { fileURLToPath } from 'node:url'
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config'

/**
 * The one test configuration of the repository (`pnpm test` runs it twice: `vitest run` on
 * Node, `bun x --bun vitest run` on Bun). Every package's tests run on both runtimes — the same
 * packages serve both — except the two kernel-lock bindings, each made for one runtime, and the
 * process suites (tests/runtime, tests/fuzz), which boot Node and Bun servers themselves and so
 * run once, from Node. One project per directory; a single `--project <name>` runs one.
 */
const at = (dir: string) => fileURLToPath(new URL(dir, import.meta.url))
const onBun = 'bun' in process.versions

const UNIT = [
  ...['catalog', 'corpus', 'draft', 'duckdb', 'embed', 'gateway', 'grants', 'host', 'ingest', 'journal', 'kit', 'launch'],
  ...['matrix', 'memory', 'observer', 'providers', 'provision', 'query', 'storage', 'validator', 'vector'],
].map((name) => `packages/${name}`)
/** Tools that run on Node (the CLI spawns its runtimes itself; parity and load are Node programs). */
const NODE_ONLY = ['packages/lock-node', 'apps/cli', 'parity', 'load']

/** Slower on a loaded 2-core machine without being wrong: HNSW property/recall tests, end-to-end runs of the instruments. */
const SLOW = new Set(['packages/vector', 'parity', 'load', 'apps/cli'])

function unit(dir: string): TestProjectInlineConfiguration {
  const timeout = SLOW.has(dir) ? 120_000 : 60_000
  return {
    extends: true,
    test: {
      name: dir.replace(/^(packages|apps)\//, ''),
      root: at(dir),
      include: ['test/**/*.test.ts'],
      testTimeout: timeout,
      hookTimeout: timeout,
    },
  }
}

/** Process suites boot servers; they run after every unit project (groupOrder), one file at a time for fuzz. */
function processes(dir: 'tests/runtime' | 'tests/fuzz', groupOrder: number): TestProjectInlineConfiguration {
  return {
    extends: true,
    test: {
      name: dir.replace('tests/', ''),
      root: at(dir),
      include: ['test/**/*.test.ts'],
      globalSetup: [at(`${dir}/test/global-setup.ts`)],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      // Each fuzz file boots its own Node and Bun pair; one at a time keeps the cores for the servers.
      fileParallelism: dir !== 'tests/fuzz',
      sequence: { groupOrder },
    },
  }
}

export default defineConfig({
  test: {
    projects: onBun
      ? [...UNIT, 'packages/lock-bun'].map(unit)
      : [...[...UNIT, ...NODE_ONLY].map(unit), processes('tests/runtime', 1), processes('tests/fuzz', 2)],
  },
})
