/**
 * Finds text shaped like a US Social Security number that the SSA could actually have issued.
 *
 * Forms: `ddd-dd-dddd`, `ddd dd dddd` (the same separator in both places) and a bare run of
 * exactly nine digits. A digit may not touch the match on either side, so a nine-digit window
 * inside a 10- or 11-digit phone number (`5551234567`, `15551234567`) never matches, and the
 * 3-3-4 grouping of phone numbers never fits the 3-2-4 shape.
 *
 * Never-issued numbers are skipped (SSA, "Social Security Number Randomization", 2011): area
 * 000, 666 and 900–999, group 00, serial 0000. That keeps test data such as 000-12-3456 and
 * ITIN-like 9xx numbers from blocking a message.
 */

export type SsnForm = 'dashed' | 'spaced' | 'bare'

export interface SsnMatch {
  /** The matched text. Callers should not echo it back: it may be a real SSN. */
  readonly text: string
  /** Offset in UTF-16 code units. */
  readonly index: number
  readonly form: SsnForm
}

const SSN_SHAPE = /(?<!\d)(\d{3})([- ]?)(\d{2})\2(\d{4})(?!\d)/g

export function isIssuableSsn(area: string, group: string, serial: string): boolean {
  const a = Number(area)
  return a !== 0 && a !== 666 && a < 900 && group !== '00' && serial !== '0000'
}

export function findSsnPatterns(text: string): SsnMatch[] {
  const out: SsnMatch[] = []
  for (const m of text.matchAll(SSN_SHAPE)) {
    const [whole, area = '', separator = '', group = '', serial = ''] = m
    if (!isIssuableSsn(area, group, serial)) continue
    out.push({ text: whole, index: m.index, form: separator === '-' ? 'dashed' : separator === ' ' ? 'spaced' : 'bare' })
  }
  return out
}
