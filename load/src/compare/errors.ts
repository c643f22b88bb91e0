/** Why `pnpm load compare` or `pnpm load merge` refused its inputs. Callers match on `code`. */
export type LoadCompareErrorCode =
  /** compare: the two runs used mixes with different names. */
  | 'LOAD_COMPARE_MIX_MISMATCH'
  /** merge: the shards' mix files differ (mix.sha256). */
  | 'LOAD_MERGE_MIX_MISMATCH'
  /** merge: the shards differ in load model or tiers. */
  | 'LOAD_MERGE_SETTINGS_MISMATCH'
  /** merge: fewer than two reports, or the same run twice. */
  | 'LOAD_MERGE_INPUT'

export const LOAD_COMPARE_ERROR_CODES: readonly LoadCompareErrorCode[] = [
  'LOAD_COMPARE_MIX_MISMATCH',
  'LOAD_MERGE_MIX_MISMATCH',
  'LOAD_MERGE_SETTINGS_MISMATCH',
  'LOAD_MERGE_INPUT',
]

export class LoadCompareError extends Error {
  override readonly name = 'LoadCompareError'
  constructor(
    readonly code: LoadCompareErrorCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options)
  }
}
