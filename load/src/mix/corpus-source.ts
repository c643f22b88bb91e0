import { basename, resolve } from 'node:path'
import { CaseConfigError, displayPath, loadCases } from '@lakehouse/parity'
import type { Mix } from '../model.ts'
import { corpusMix } from './corpus-mix.ts'
import { MixConfigError } from './mix-loader.ts'

/**
 * `pnpm load --corpus DIR [--corpus-writes]`: reads a parity case corpus (any corpus, recorded
 * or not) and builds its mix, with one line saying what was merged and what was left out — a
 * run must never silently send less (or more) than the user expects. Problems in the corpus
 * and a corpus with nothing left to send are MixConfigErrors: exit 2 before any request.
 */
export interface CorpusSource {
  readonly mix: Mix
  /** One line for stderr: cases, scenarios, merged flows, what was left out and why. */
  readonly summary: string
}

export function loadCorpusMix(dir: string, root: string, options: { readonly writes?: boolean } = {}): CorpusSource {
  const abs = resolve(dir)
  const file = displayPath(root, abs)
  let cases: ReturnType<typeof loadCases>
  try {
    cases = loadCases({ caseDir: abs, root })
  } catch (e) {
    if (e instanceof CaseConfigError) throw new MixConfigError(e.problems.map((p) => `--corpus ${file}: ${p}`))
    throw e
  }
  const name = `corpus-${
    basename(abs)
      .toLowerCase()
      .replace(/[^a-z0-9_.-]+/g, '-') || 'cases'
  }`
  const built = corpusMix(cases, { writes: options.writes === true, name, file })
  const { mix, merged, writes, unresolved } = built
  const parts = [`${cases.length} cases → ${mix.scenarios.length} scenarios`]
  if (merged > 0) parts.push(`${merged} merged into the flow whose value they use`)
  if (writes.length > 0) parts.push(`${writes.length} writes left out (--corpus-writes includes them)`)
  if (unresolved.length > 0) {
    const first = unresolved[0]
    parts.push(`${unresolved.length} left out for an uncaptured variable (first: ${first?.id}: ${first?.reason})`)
  }
  if (mix.scenarios.length === 0) throw new MixConfigError([`--corpus ${file}: nothing left to send: ${parts.slice(1).join(', ')}`])
  return { mix, summary: `corpus ${file}: ${parts.join(', ')}` }
}
