/**
 * "Did you mean …": the closest known name to a typo, by edit distance (insertions, deletions,
 * substitutions and swaps of neighbours each cost 1), when it is close enough to be a typo
 * rather than another word: at most 2 edits, and fewer than half the typed name's length.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[]
      const prev = d[i - 1] as number[]
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1)
      row[j] = best
    }
  }
  return (d[a.length] as number[])[b.length] as number
}

export function closest(typed: string, known: readonly string[]): string | undefined {
  const bare = typed.replace(/^-+/, '')
  const limit = Math.min(2, Math.ceil(bare.length / 2) - 1)
  let best: { name: string; distance: number } | undefined
  for (const name of known) {
    const distance = editDistance(typed, name)
    if (distance > 0 && distance <= limit && (best === undefined || distance < best.distance)) best = { name, distance }
  }
  return best?.name
}

/** ` (did you mean "serve"?)`, or nothing when no known name is close. */
export function didYouMean(typed: string, known: readonly string[]): string {
  const match = closest(typed, known)
  return match === undefined ? '' : `; did you mean ${match}?`
}

/** The long flags a usage text names (`--rows`, `--data-dir` …): what a typo is compared with. */
export function flagsIn(usage: string): string[] {
  return [...new Set(usage.match(/--[a-z][a-z0-9-]*/g) ?? [])]
}

/** The typed option of node:util parseArgs' "Unknown option '--row'" error, if that is what it is. */
export function unknownOption(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined
  return /^Unknown option '(-[^']*)'/.exec(err.message)?.[1]
}
