/**
 * Escaping helpers for the static report page. The page is written by hand instead of with a
 * templating library: it is one file with a handful of sections, the parity package must
 * stay small enough to bundle with esbuild for Node, and the two helpers below are the whole
 * attack surface to review (every interpolated string goes through one of them).
 */

/** Text and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;')
}

/**
 * JSON for a `<script type="application/json">` element. Inside <script> the HTML parser
 * only looks for `</script` (and `<!--`), so escaping every `<` as `\u003c` (valid inside
 * JSON strings, the only place `<` can occur) makes breaking out impossible; `>` and `&`
 * are escaped too for parsers that treat the block as markup, and U+2028/U+2029 so the text
 * is also valid as a JavaScript literal.
 */
export function embedJson(value: unknown): string {
  return (JSON.stringify(value) ?? 'null')
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029')
}
