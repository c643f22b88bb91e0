/**
 * Header flags: `Name: value` (shadow's `--header-primary`, parity's `--target-header
 * a=Name: value`). One parser, so every mode reads and refuses them alike.
 */

/** `Name: value` → [lower-case name, value]; undefined when there is no colon or the name is not a token. */
export function parseHeaderFlag(text: string): [string, string] | undefined {
  const colon = text.indexOf(':')
  if (colon <= 0) return undefined
  const name = text.slice(0, colon).trim()
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return undefined
  return [name.toLowerCase(), text.slice(colon + 1).trim()]
}
