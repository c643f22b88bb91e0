/** Longest caller text a problem detail quotes; longer text is cut with an ellipsis. */
export const QUOTE_MAX_CHARS = 80

/**
 * Caller-supplied text as a problem detail shows it: JSON-quoted (so control characters and
 * quotes cannot break the line or forge structure) and cut to QUOTE_MAX_CHARS.
 */
export function quoteCallerText(text: string, max = QUOTE_MAX_CHARS): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text)
}
