import { memoryErrors } from './errors.ts'
import { copyTrace } from './trace.ts'
import type { HistoryResult, Trace } from './types.ts'

/**
 * Walks predecessor links from `start` (which must exist) and returns the chain in journal
 * seq order, oldest first. Timestamps come from a clock that can step back, seq cannot, so
 * only seq orders history. A link back to a visited trace is a cycle (409); a link to a trace
 * that does not exist ends the walk with what was found and says which uid was missing.
 */
export function walkHistory(start: Trace, lookup: (uid: string) => Trace | undefined): HistoryResult {
  const seen = new Set<string>([start.uid])
  const chain: Trace[] = [start]
  let missing: string | null = null
  for (let link = start.predecessor; link !== null; ) {
    if (seen.has(link)) {
      throw memoryErrors.problem('MEMORY_HISTORY_CYCLE', {
        detail: `the predecessors of ${start.uid} lead back to ${link}`,
        extensions: { uid: start.uid, repeated: link },
      })
    }
    const trace = lookup(link)
    if (trace === undefined) {
      missing = link
      break
    }
    seen.add(link)
    chain.push(trace)
    link = trace.predecessor
  }
  chain.sort((a, b) => a.seq - b.seq)
  return { uid: start.uid, chain: chain.map(copyTrace), truncated: missing !== null, missing }
}
