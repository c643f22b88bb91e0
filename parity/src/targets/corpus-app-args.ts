import { join } from 'node:path'

/**
 * The flags every booted app gets for the case corpus: the corpus's worker ids (until the
 * workers dataset exists) and HTTP grant minting, so the grant cases can mint per target (each
 * target has its own key). One list, used by `pnpm parity` and the parity smoke test.
 */
export function corpusAppArgs(root: string): string[] {
  return ['--worker-ids', join(root, 'parity/fixtures/worker-ids.txt'), '--grant-http-mint']
}
