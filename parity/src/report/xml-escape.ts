/**
 * XML 1.0 allows only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
 * (§2.2), even as character references, so anything else (C0 controls, lone surrogates,
 * U+FFFE/U+FFFF) cannot be escaped and must be replaced. Control characters become the
 * visible text `\u0001` so a message about a body with a NUL still says what was there;
 * lone surrogates and the two non-characters become U+FFFD.
 */
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

export function xmlSafe(text: string): string {
  return text.replace(FORBIDDEN, (ch) => {
    const code = ch.codePointAt(0) ?? 0
    return code < 0x20 ? `\\u${code.toString(16).padStart(4, '0')}` : '\uFFFD'
  })
}

/** Element content. `>` is escaped too so `]]>` can never appear. */
export function xmlText(text: string): string {
  return xmlSafe(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

/** Attribute value (double-quoted). Tab, LF and CR become references: attribute normalisation would turn them into spaces. */
export function xmlAttr(text: string): string {
  return xmlText(text)
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replaceAll('\t', '&#9;')
    .replaceAll('\n', '&#10;')
    .replaceAll('\r', '&#13;')
}
