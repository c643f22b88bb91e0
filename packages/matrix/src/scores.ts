/**
 * Scores, boosts and similarities leave the service rounded to 6 decimals. Float32 vectors give
 * about 7 significant digits, so the tail beyond that is noise that would only make two
 * runtimes (or two index builds) disagree in the parity diff.
 */
export function roundScore(x: number): number {
  const r = Math.round(x * 1e6) / 1e6
  // Avoid -0, which encodes as 0 but compares differently in Object.is-based tests.
  return r === 0 ? 0 : r
}
