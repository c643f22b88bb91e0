/**
 * Phone numbers accepted as an SMS destination: E.164 (`+15551234567`, digit groups may be
 * split by single spaces or hyphens as people paste them) or a North American number in the
 * common spellings: `5551234567`, `555-123-4567`, `555.123.4567`, `555 123 4567`,
 * `(555) 123-4567`, `1-555-123-4567`, `+1 555 123 4567`.
 * Each alternative consumes a fixed number of digits per step, so matching is linear.
 */
export const PHONE_PATTERN = /^(?:\+[1-9](?:[ -]?\d){6,14}|(?:\+?1[-. ]?)?(?:\(\d{3}\) ?|\d{3}[-. ]?)\d{3}[-. ]?\d{4})$/

export function isPhoneNumber(text: string): boolean {
  return PHONE_PATTERN.test(text)
}
