import { isProblem } from '@lakehouse/kit'
import { FIX_SEPARATOR } from './failure.ts'

/** Exit status of an app whose data directory cannot be provisioned (DESIGN §6). */
export const PROVISION_EXIT_CODE = 2

function stringField(extensions: Readonly<Record<string, unknown>> | undefined, key: string): string | undefined {
  const value = extensions?.[key]
  return typeof value === 'string' ? value : undefined
}

/**
 * The multi-line stderr message an app prints before exiting with PROVISION_EXIT_CODE: what
 * failed, the path, the fix. Takes `unknown` because apps call it from a catch-all; an error
 * that is not a provisioning Problem is still printed rather than lost.
 */
export function formatProvisionFailure(error: unknown): string {
  if (!isProblem(error)) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    return `lakehouse: cannot provision the data directory\n  error: ${text}\n`
  }
  const path = stringField(error.extensions, 'path')
  const fix = stringField(error.extensions, 'fix')
  const errno = stringField(error.extensions, 'errno')
  const suffix = fix === undefined ? undefined : FIX_SEPARATOR + fix
  const what = suffix !== undefined && error.detail.endsWith(suffix) ? error.detail.slice(0, -suffix.length) : error.detail
  const lines = [`lakehouse: cannot provision the data directory: ${error.title} (${error.code})`, `  error: ${what}`]
  if (path !== undefined && path !== '') lines.push(`  path:  ${path}`)
  if (errno !== undefined) lines.push(`  errno: ${errno}`)
  if (fix !== undefined) lines.push(`  fix:   ${fix}`)
  return `${lines.join('\n')}\n`
}
