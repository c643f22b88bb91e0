import { quoteCallerText } from '@lakehouse/kit'
import { isGrantScope, SCOPE_GRAMMAR } from './contract.ts'
import { grantErrors } from './errors.ts'

export function checkScope(value: unknown): string {
  if (isGrantScope(value)) return value
  const shown = typeof value === 'string' ? quoteCallerText(value) : typeof value
  throw grantErrors.problem('GRANT_INVALID_SCOPE', { detail: `scope ${shown} is not ${SCOPE_GRAMMAR}` })
}
