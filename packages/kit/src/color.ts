/**
 * Whether output may carry ANSI colours, by the usual rules: NO_COLOR (any non-empty value,
 * https://no-color.org) turns colour off and wins; otherwise FORCE_COLOR turns it on (off for
 * "0" or "false") even when the stream is not a terminal; otherwise colour only on a terminal
 * * that is not TERM=dumb. One rule for the `lakehouse` CLI and the parity and load instruments;
 * the caller passes its environment (only programs read `process.env`).
 */
export function colorEnabled(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  if ((env.NO_COLOR ?? '') !== '') return false
  const force = env.FORCE_COLOR
  if (force !== undefined) return force !== '0' && force !== 'false'
  return stream.isTTY === true && env.TERM !== 'dumb'
}
