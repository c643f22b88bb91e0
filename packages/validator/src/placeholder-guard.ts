/**
 * Finds template placeholders left unfilled: `{{name}}`, `{{ first_name }}`, `{{job.title}}`.
 * Anything between double braces counts (up to 100 characters on one line), because a
 * template engine that left it there did not know the name either. The bounded class keeps
 * the scan linear on hostile input.
 */

export interface PlaceholderMatch {
  readonly text: string
  /** Offset in UTF-16 code units. */
  readonly index: number
}

const PLACEHOLDER = /\{\{[^{}\r\n]{0,100}\}\}/g

export function findPlaceholders(text: string): PlaceholderMatch[] {
  const out: PlaceholderMatch[] = []
  for (const m of text.matchAll(PLACEHOLDER)) out.push({ text: m[0], index: m.index })
  return out
}
