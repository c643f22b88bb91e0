/**
 * The one JSONPath grammar of the parity instrument (DESIGN.md §7). Finding paths, ignore
 * rules, array keys, unordered arrays and tolerances all use it:
 *
 *   $                  the whole body
 *   .name              a member whose name is an identifier ([A-Za-z_][A-Za-z0-9_]*)
 *   ['any name']       any member; inside quotes `\'` and `\\` are escapes
 *   [3]                an array element by position
 *   [?(@.id=='x')]     an array element matched by key (arrayKeys); `@['odd key']` for odd keys
 *   [*]  .*            rules only: any one element (by position or key) or any one member
 *
 * We print paths ourselves rather than take json-diff-ts's: its `append` prints `$.odd key` and
 * `$[a.b]` for non-identifier names, which no JSONPath reader (or our rule parser) accepts.
 */

export type PathSegment =
  | { readonly kind: 'member'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'filter'; readonly key: string; readonly value: string }
  | { readonly kind: 'wildcard' }

/** A path as a parent chain: descending costs one small object, and strings are built only for findings. */
export interface PathNode {
  readonly parent: PathNode | undefined
  readonly segment: PathSegment | undefined
}

export const ROOT_PATH: PathNode = Object.freeze({ parent: undefined, segment: undefined })
export const WILDCARD: PathSegment = Object.freeze({ kind: 'wildcard' })

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

export function childPath(parent: PathNode, segment: PathSegment): PathNode {
  return { parent, segment }
}

export function memberPath(parent: PathNode, name: string): PathNode {
  return { parent, segment: { kind: 'member', name } }
}

export function indexPath(parent: PathNode, index: number): PathNode {
  return { parent, segment: { kind: 'index', index } }
}

export function filterPath(parent: PathNode, key: string, value: string): PathNode {
  return { parent, segment: { kind: 'filter', key, value } }
}

export function segmentsOf(node: PathNode): PathSegment[] {
  const out: PathSegment[] = []
  for (let n: PathNode | undefined = node; n?.segment !== undefined; n = n.parent) out.push(n.segment)
  return out.reverse()
}

export function pathOf(node: PathNode): string {
  return formatPath(segmentsOf(node))
}

function quote(text: string): string {
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`
}

export function formatSegment(segment: PathSegment): string {
  switch (segment.kind) {
    case 'member':
      return IDENTIFIER.test(segment.name) ? `.${segment.name}` : `[${quote(segment.name)}]`
    case 'index':
      return `[${segment.index}]`
    case 'filter': {
      const key = IDENTIFIER.test(segment.key) ? `.${segment.key}` : `[${quote(segment.key)}]`
      return `[?(@${key}==${quote(segment.value)})]`
    }
    case 'wildcard':
      return '[*]'
  }
}

export function formatPath(segments: readonly PathSegment[]): string {
  let out = '$'
  for (const s of segments) out += formatSegment(s)
  return out
}

type Read<T> = readonly [T, number] | undefined

/** Reads a '…' or "…" literal starting at `at` (the quote); returns its text and the index after it. */
function readQuoted(path: string, at: number): Read<string> {
  const q = path[at]
  if (q !== "'" && q !== '"') return undefined
  let text = ''
  for (let i = at + 1; i < path.length; i++) {
    const c = path[i]
    if (c === '\\') {
      const next = path[i + 1]
      if (next === undefined) return undefined
      text += next
      i++
    } else if (c === q) {
      return [text, i + 1]
    } else {
      text += c
    }
  }
  return undefined
}

/** `[?(@.key=='value')]` starting at `at` (the `[`). Unquoted values (numbers, true) are taken verbatim. */
function readFilter(path: string, at: number): Read<PathSegment> {
  let i = at + 4 // past `[?(@`
  let key: string
  if (path[i] === '.') {
    const end = path.indexOf('==', i)
    if (end < 0) return undefined
    key = path.slice(i + 1, end).trim()
    i = end
  } else if (path[i] === '[') {
    const q = readQuoted(path, i + 1)
    if (q === undefined || path[q[1]] !== ']') return undefined
    key = q[0]
    i = q[1] + 1
  } else {
    return undefined
  }
  if (key === '' || !path.startsWith('==', i)) return undefined
  i += 2
  let value: string
  const q = readQuoted(path, i)
  if (q !== undefined) {
    value = q[0]
    i = q[1]
  } else {
    const end = path.indexOf(')]', i)
    if (end < 0) return undefined
    value = path.slice(i, end).trim()
    i = end
  }
  if (!path.startsWith(')]', i)) return undefined
  return [{ kind: 'filter', key, value }, i + 2]
}

function readBracket(path: string, at: number): Read<PathSegment> {
  if (path.startsWith('[*]', at)) return [WILDCARD, at + 3]
  if (path.startsWith('[?(@', at)) return readFilter(path, at)
  const digits = /^\[(\d+)\]/.exec(path.slice(at, at + 24))
  if (digits?.[1] !== undefined) return [{ kind: 'index', index: Number(digits[1]) }, at + digits[0].length]
  const q = readQuoted(path, at + 1)
  if (q === undefined || path[q[1]] !== ']') return undefined
  return [{ kind: 'member', name: q[0] }, q[1] + 1]
}

/**
 * Parses a body path or rule. Liberal in what it reads (`.foo-bar`, double quotes, `[*]` on
 * objects) so hand-written rules work; strict in what `formatPath` prints. Undefined when invalid.
 */
export function parsePath(path: string): PathSegment[] | undefined {
  const text = path.trim()
  if (text[0] !== '$') return undefined
  const out: PathSegment[] = []
  let i = 1
  while (i < text.length) {
    if (text[i] === '.') {
      if (text[i + 1] === '*') {
        out.push(WILDCARD)
        i += 2
        continue
      }
      let j = i + 1
      while (j < text.length && text[j] !== '.' && text[j] !== '[') j++
      if (j === i + 1) return undefined
      out.push({ kind: 'member', name: text.slice(i + 1, j) })
      i = j
    } else if (text[i] === '[') {
      const read = readBracket(text, i)
      if (read === undefined) return undefined
      out.push(read[0])
      i = read[1]
    } else {
      return undefined
    }
  }
  return out
}
