import { isAbsolute, relative } from 'node:path'

/** A path as reports and messages show it: relative to `root` (the repository) when inside it, else absolute. */
export function displayPath(root: string, path: string): string {
  const rel = relative(root, path)
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel
}
