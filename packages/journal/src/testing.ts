import type { FileLock } from './types.ts'

export { createMemoryJournal } from './memory-journal.ts'

/**
 * The flock of the runtime running the tests. Production code never picks by runtime (the apps
 * inject theirs); test suites run under both vitest-on-Node and vitest-on-Bun, so this is the
 * one place that does.
 */
export async function testFileLock(): Promise<FileLock> {
  // Specifiers in variables: type-checking a package's tests must not pull in bun:ffi's types.
  if (process.versions.bun !== undefined) {
    const bun = '@lakehouse/lock-bun'
    return ((await import(bun)) as { createBunFileLock(): FileLock }).createBunFileLock()
  }
  const node = '@lakehouse/lock-node'
  return ((await import(node)) as { createNodeFileLock(): FileLock }).createNodeFileLock()
}
