/**
 * JSON Pointer (what ajv reports, RFC 6901) → JSONPath (what our error entries carry).
 * The pointer alone cannot tell the array index `/0` from the object key `"0"`, so the
 * data is walked alongside and each segment is rendered by what it actually addresses.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/
const INDEX = /^(0|[1-9]\d*)$/

function unescapeSegment(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~')
}

/** Escapes a property name as one JSON Pointer segment. */
export function pointerSegment(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1')
}

export function memberPath(base: string, key: string): string {
  if (IDENTIFIER.test(key)) return `${base}.${key}`
  return `${base}['${key.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}']`
}

export function indexPath(base: string, index: number): string {
  return `${base}[${index}]`
}

export interface ResolvedPointer {
  /** JSONPath of the addressed value, starting with `base`. */
  readonly path: string
  /** The value the pointer addresses, undefined when it does not exist (e.g. a missing required property). */
  readonly value: unknown
}

export function resolvePointer(root: unknown, pointer: string, base = '$'): ResolvedPointer {
  if (pointer === '') return { path: base, value: root }
  let path = base
  let value: unknown = root
  for (const raw of pointer.slice(1).split('/')) {
    const key = unescapeSegment(raw)
    if (Array.isArray(value) && INDEX.test(key)) {
      path = indexPath(path, Number(key))
      value = value[Number(key)]
    } else {
      path = memberPath(path, key)
      value = value !== null && typeof value === 'object' && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined
    }
  }
  return { path, value }
}
