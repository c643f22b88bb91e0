const SINGLE = /^(?:\.|%2e)$/i
const DOUBLE = /^(?:\.|%2e){2}$/i

/**
 * WHATWG URL path dot-segment resolution (`.`, `..` and their `%2e` spellings), done here
 * because Node 20's URL parser (Ada) leaves `/a/.tmp/items/..` unresolved where Bun's and the
 * standard's give `/a/.tmp/` (found by the fuzz suite): the same request must reach the same
 * route on both runtimes. Returns the path unchanged when it has no dot segment.
 */
export function resolveDotSegments(path: string): string {
  const segments = path.split('/')
  if (!segments.some((s) => SINGLE.test(s) || DOUBLE.test(s))) return path
  const out: string[] = []
  for (const [i, s] of segments.entries()) {
    const last = i === segments.length - 1
    if (i === 0) continue
    if (DOUBLE.test(s)) {
      if (out.length > 0) out.pop()
      if (last) out.push('')
    } else if (SINGLE.test(s)) {
      if (last) out.push('')
    } else out.push(s)
  }
  return `/${out.join('/')}`
}
