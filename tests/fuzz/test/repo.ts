import { fileURLToPath } from 'node:url'

/** The repository root, from this file's place in it (tests/fuzz/test/). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
