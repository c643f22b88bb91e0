import { measureSms } from '@lakehouse/validator'

/**
 * Keeps SMS text inside the GSM 03.38 alphabet, so a message is measured in septets against
 * 160 rather than in UTF-16 units against 70 (3GPP TS 23.038; the validator enforces both).
 */

/** Typographic characters word processors and language models produce, with their GSM spelling. */
const PUNCTUATION: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u2032': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u201f': '"',
  '\u2033': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u2022': '-',
  '\u00b7': '-',
  '\u00a0': ' ',
  '\u2009': ' ',
  '\u202f': ' ',
  '\u00d7': 'x',
}

const isGsm = (char: string): boolean => measureSms(char).encoding === 'GSM-7'

/** Replaces typographic punctuation only; other characters are left for the validator to judge. */
export function normalizePunctuation(text: string): string {
  let out = ''
  for (const char of text) out += PUNCTUATION[char] ?? char
  return out
}

/**
 * Text made of GSM-7 characters only: GSM characters stay (é, ñ, ü are in the alphabet),
 * typographic punctuation is mapped, other accented letters lose their accent (NFKD, marks
 * dropped: "ã" → "a"), and whatever still is not GSM (emoji, CJK) is dropped.
 */
export function toGsmText(text: string): string {
  let out = ''
  for (const char of text) {
    if (isGsm(char)) {
      out += char
      continue
    }
    const mapped = PUNCTUATION[char]
    if (mapped !== undefined) {
      out += mapped
      continue
    }
    for (const part of char.normalize('NFKD')) if (!/\p{M}/u.test(part) && isGsm(part)) out += part
  }
  return out
}

/** Septets on the air: 1 per basic character, 2 per extension character (`{}[]~|^€\`). */
export function septets(text: string): number {
  return measureSms(text).length
}
