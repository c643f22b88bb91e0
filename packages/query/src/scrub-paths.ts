/**
 * Engine messages name files ("Cannot access file \"/srv/lakehouse/keys/secret.key\"", "No files
 * found that match the pattern \"…\"") and echo the SQL, which may hold them too. Every absolute
 * path — POSIX, `~/…` or `C:\…` — becomes `<path>` so a message never reveals the server's layout.
 */

const PLACEHOLDER = '<path>'

// A quoted path may contain spaces: replace everything between the quotes.
const QUOTED = /(["'`])(?:~|[A-Za-z]:)?[/\\](?:(?!\1)[^\n])*\1/g
// An unquoted path ends at whitespace or a closing delimiter. It must start at a boundary so that
// `a/b` and `1/2` in echoed SQL stay, and a lone `/` or `//` (division operators) is not a path.
// Quotes count as a boundary too: DuckDB cuts long echoed SQL lines with "...", leaving a quoted
// path without its closing quote ("read_parquet('/srv/objects/datasets...").
const BARE = /(^|[\s"'`(=,:[{<])(?:~|[A-Za-z]:)?[/\\](?![\s/\\])[^\s"'`),\]}>;]*/g

// file:// URLs name local paths too ("file:///etc/hosts").
const FILE_URL = /\bfile:\/\/[^\s"'`),\]}>;]*/gi

export function scrubPaths(text: string): string {
  return text
    .replace(FILE_URL, PLACEHOLDER)
    .replace(QUOTED, (_m, q: string) => `${q}${PLACEHOLDER}${q}`)
    .replace(BARE, (_m, lead: string) => `${lead}${PLACEHOLDER}`)
}

const DETAIL_MAX = 2000

/** Scrubbed and bounded, for `detail` and for view errors in stats. */
export function safeMessage(text: string): string {
  const clean = scrubPaths(text)
  return clean.length > DETAIL_MAX ? `${clean.slice(0, DETAIL_MAX)}…` : clean
}
