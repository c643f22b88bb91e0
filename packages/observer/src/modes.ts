import type { ProblemEntry } from '@lakehouse/kit'
import { memberPath } from '@lakehouse/kit'
import { entry, isObject } from './entries.ts'

/** Where a node's call goes: a gateway path and the JSON body (refs still unresolved). */
export interface ModeTarget {
  readonly path: string
  readonly body: unknown
}

/** Maps a node's literal input to its call, or explains why the input cannot be routed. */
export type ModeSpec = (input: Record<string, unknown>, at: string) => ModeTarget | ProblemEntry

/** The input is the body, posted as is. */
const post =
  (path: string): ModeSpec =>
  (input) => ({ path, body: input })

/** One input member picks the path suffix and is removed from the body; it must be a literal. */
const postBy =
  (base: string, key: string, values: readonly string[]): ModeSpec =>
  (input, at) => {
    const value = input[key]
    const field = memberPath(at, key)
    if (typeof value !== 'string' || !values.includes(value)) {
      return entry('schema', field, 'enum', `${field} must be one of ${values.join(', ')} (a literal, not a $from reference)`)
    }
    const { [key]: _routed, ...body } = input
    return { path: `${base}/${value}`, body }
  }

/**
 * Every node mode and the component call it makes through the gateway. Adding a mode is one
 * line here; validation, execution, docs tables and the unknown-mode error all read this table.
 */
export const NODE_MODES: Readonly<Record<string, ModeSpec>> = Object.freeze({
  validate: post('/v1/validate'),
  embed: post('/v1/embed'),
  sql: post('/v1/query/sql'),
  'memory.search': post('/v1/memory/search'),
  'matrix.search': post('/v1/matrix/search'),
  draft: postBy('/v1/draft', 'channel', ['email', 'sms']),
})

export const NODE_MODE_NAMES: readonly string[] = Object.freeze(Object.keys(NODE_MODES))

export function modeSpec(mode: string): ModeSpec | undefined {
  return Object.hasOwn(NODE_MODES, mode) ? NODE_MODES[mode] : undefined
}

export function isModeTarget(value: ModeTarget | ProblemEntry): value is ModeTarget {
  return isObject(value) && 'path' in value
}
