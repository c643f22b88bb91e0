/**
 * The one spelling of a query used for embedding, caching, playbook storage and the response.
 * NFC first so composed and decomposed accents are one query; then trim, collapse whitespace
 * runs and lower-case (toLowerCase, not the locale variant, so both runtimes agree). A search
 * for "Electrician " and one for "electrician" are the same search, and the cache may treat
 * them as one because the embedding never sees the difference.
 */
export function normaliseQuery(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase()
}
