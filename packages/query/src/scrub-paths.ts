/**
 * Engine messages name files ("Cannot access file \"/srv/lakehouse/keys/secret.key\"", "No files
 * found that match the pattern \"…\"") and echo the SQL, which may hold them too. Every absolute
 * path — POSIX, `~/…`, `C:\…` or `file://…` — becomes `<path>` so a message never reveals the
 * server's layout.
 *
 * A path is recognised by its shape, never by its value: `/` (or `~/`, `C:\`) at a boundary,
 * then the first character of a file name. So `/*` (a comment: "unterminated /* comment at or
 * near \"/*\"", issue 11), `//`, `/ ` and `a/b` are not paths, and the bare numbers of a division
 * (`4 /2`) are not either. Matching the server's real directories, or checking which paths
 * exist, would answer a guess: a probe echoing a candidate directory would come back scrubbed
 * only when the guess was right.
 */

const PLACEHOLDER = '<path>'

// The root of an absolute path: POSIX `/`, home `~/`, or a drive `C:\` / `C:/`.
const ROOT = String.raw`(?:~[/\\]|[A-Za-z]:[/\\]|/)`
// What may follow the root: the first character of a file name. Not `*` (comments, globs), a
// separator (`//`), whitespace, a quote or an operator.
const NAME_START = String.raw`(?=[\p{L}\p{N}._~$@-])`
// A quoted path may contain spaces: replace everything between the quotes.
const QUOTED = new RegExp(String.raw`(["'\x60])(${ROOT}${NAME_START}(?:(?!\1)[^\n])*)\1`, 'gu')
// An unquoted path ends at whitespace or a closing delimiter. It must start at a boundary so that
// `a/b` and `1/2` in echoed SQL stay. Quotes count as a boundary too: DuckDB cuts long echoed SQL
// lines with "...", leaving a quoted path without its closing quote ("read_parquet('/srv/objects/datasets...").
const BARE = new RegExp(String.raw`(^|[\s"'\x60(=,:[{<])(${ROOT}${NAME_START}[^\s"'\x60),\]}>;]*)`, 'gu')
// file: URLs name local paths too ("file:///etc/hosts").
const FILE_URL = /\bfile:\/\/?[^\s"'`),\]}>;]*/gi
// DuckDB shortens a long echoed SQL line from the left too ("LINE 1: ...ery-x/objects/datasets/w.parquet' x y"),
// leaving the tail of a path behind "...": any token there with a separator is that tail.
const CUT_TAIL = /(\.\.\.)[^\s"'`),\]}>;]*[/\\][^\s"'`),\]}>;]*/g
// `/2`, `/2.5`, `/60/60`: the right-hand side of a division, not a file.
const NUMBERS_ONLY = /^[/\d.]+$/

/**
 * Whether a path-shaped token is a path. Numbers are divisions. Unquoted, `/name` with no second
 * separator is too (`x /y` in echoed SQL); the engine names files with a directory (`/srv/x`,
 * the allowed directory `/srv/`), quoted, and `~/x` and `C:\x` are never operators.
 */
function isPath(token: string, quoted: boolean): boolean {
  if (NUMBERS_ONLY.test(token)) return false
  return quoted || !token.startsWith('/') || token.indexOf('/', 1) > 0
}

export function scrubPaths(text: string): string {
  return text
    .replace(FILE_URL, PLACEHOLDER)
    .replace(CUT_TAIL, `$1${PLACEHOLDER}`)
    .replace(QUOTED, (match, q: string, path: string) => (isPath(path, true) ? `${q}${PLACEHOLDER}${q}` : match))
    .replace(BARE, (match, lead: string, path: string) => (isPath(path, false) ? `${lead}${PLACEHOLDER}` : match))
}

const DETAIL_MAX = 2000

/** Scrubbed and bounded, for `detail` and for view errors in stats. */
export function safeMessage(text: string): string {
  const clean = scrubPaths(text)
  return clean.length > DETAIL_MAX ? `${clean.slice(0, DETAIL_MAX)}…` : clean
}
