import { colorEnabled } from '@lakehouse/kit'

// The rule (NO_COLOR, FORCE_COLOR, TTY, TERM=dumb) lives in @lakehouse/kit, shared with parity and load.
export { colorEnabled }

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
