/**
 * Whether CLI output may carry ANSI colours, by the usual rules: NO_COLOR (any non-empty value,
 * https://no-color.org) turns colour off and wins; otherwise FORCE_COLOR turns it on (off for
 * "0" or "false") even when the stream is not a terminal; otherwise colour only on a terminal
 * that is not TERM=dumb.
 */
export function colorEnabled(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if ((env.NO_COLOR ?? '') !== '') return false
  const force = env.FORCE_COLOR
  if (force !== undefined) return force !== '0' && force !== 'false'
  return stream.isTTY === true && env.TERM !== 'dumb'
}

export interface Paint {
  readonly green: (s: string) => string
  readonly red: (s: string) => string
  readonly bold: (s: string) => string
}

/** Colour helpers for one stream: identity functions when colour is off. */
export function paint(
  stream: { isTTY?: boolean } = process.stdout,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Paint {
  const on = colorEnabled(stream, env)
  const sgr = (open: number, close: number) => (s: string) => (on ? `\u001b[${open}m${s}\u001b[${close}m` : s)
  return { green: sgr(32, 39), red: sgr(31, 39), bold: sgr(1, 22) }
}
