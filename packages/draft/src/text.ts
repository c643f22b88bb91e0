/** Small English-text helpers shared by the composers. Pure functions of their input. */

/** Every whitespace run (newlines and tabs included) → one space, trimmed: caller text never breaks a line or a header. */
export function singleLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** The first word of a full name ("Maria L. Garcia" → "Maria"); empty for an empty name. */
export function firstName(name: string): string {
  return singleLine(name).split(' ')[0] ?? ''
}

export function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

// Letters whose spoken name starts with a vowel sound, for acronyms read letter by letter (an HVAC, an RN).
const VOWEL_SOUND_LETTERS = new Set('AEFHILMNORSX')

/**
 * "a" or "an" by a spelling rule: a lower-case or mixed-case word takes "an" before a vowel
 * letter; an acronym (two or more leading capitals) takes "an" when its first letter is named
 * with a vowel sound. Exceptions such as "a union" or "an hour" are not handled.
 */
export function article(phrase: string): 'a' | 'an' {
  const word = phrase.trimStart()
  const first = word.charAt(0)
  if (/^[A-Z]{2}/.test(word)) return VOWEL_SOUND_LETTERS.has(first) ? 'an' : 'a'
  return /^[aeiou]/i.test(first) ? 'an' : 'a'
}

/** "a", "a and b", "a, b and c" — no serial comma, as in the rest of the copy. */
export function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? ''
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
}

/**
 * Shortens `text` to at most `budget` units as measured by `measure`, cutting at the last
 * word boundary that fits and appending "...". A text that already fits is returned as is;
 * a budget too small for the ellipsis yields a hard cut.
 */
export function fitWithin(text: string, budget: number, measure: (s: string) => number): string {
  if (measure(text) <= budget) return text
  const ellipsis = '...'
  const room = budget - measure(ellipsis)
  if (room <= 0) return hardCut(text, budget, measure)
  const cut = hardCut(text, room, measure)
  const space = cut.lastIndexOf(' ')
  // Prefer a word boundary, unless it would throw away more than half of what fits.
  const head = space > cut.length / 2 ? cut.slice(0, space) : cut
  return head.replace(/[\s,;:.-]+$/, '') + ellipsis
}

function hardCut(text: string, budget: number, measure: (s: string) => number): string {
  let out = ''
  for (const char of text) {
    if (measure(out + char) > budget) break
    out += char
  }
  return out
}
