import {
  type JournalRecord,
  type RawFrame,
  type RawScan,
  WRITER_RECORD_KIND,
  type WriterAck,
  type WriterRecordData,
} from '@lakehouse/journal'

/**
 * What `doctor collide` concludes from a store the writers have finished with. Pure functions
 * over the journal's replay (what a reader gets) and its independent raw pass over the segment
 * bytes (`scanStoreRaw`: every line that parses as a frame, notes included, in file order), so
 * the seq checks do not rest on the journal's own scanner.
 */

export interface WriterOutcome {
  readonly id: string
  readonly runtime: string
  readonly pid: number
  readonly exit: string
  readonly acks: readonly WriterAck[]
  readonly commits: number | undefined
}

export interface CollideInput {
  readonly writers: readonly WriterOutcome[]
  readonly appends: number
  /** The journal's replay of the store, in the order it yields (file order). */
  readonly records: readonly JournalRecord[]
  readonly raw: RawScan
  readonly corrupt: number
  readonly torn: number
  readonly wallMs: number
}

export interface WriterCheck {
  readonly id: string
  readonly runtime: string
  readonly pid: number
  readonly exit: string
  readonly acked: number
  readonly found: number
  /** Values of i in 0..appends-1 never found. */
  readonly missing: number
  /** Extra copies of an (id, i) already found. */
  readonly duplicates: number
  readonly commits: number | undefined
}

export interface CollideReport {
  readonly ok: boolean
  readonly expected: number
  readonly found: number
  readonly lost: number
  readonly duplicates: number
  /** Acknowledged (seq, id, i) with no record of that seq and content in the replay. */
  readonly acked_missing: number
  readonly acked_missing_examples: readonly WriterAck[]
  /** Times consecutive records (file order) come from different writers. */
  readonly interleavings: number
  readonly seq_rising: boolean
  readonly seq_order_violations: number
  /** Ranges of seqs that no frame carries and no journal.seq_repair note explains. */
  readonly unexplained_gaps: readonly (readonly [number, number])[]
  readonly notes: Readonly<Record<string, number>>
  readonly corrupt: number
  readonly torn: number
  readonly raw_bad_lines: number
  readonly wall_ms: number
  readonly appends_per_s: number
  readonly commits: number | undefined
  readonly records_per_commit: number | undefined
  readonly writers: readonly WriterCheck[]
}

function unexplainedGaps(frames: readonly RawFrame[]): [number, number][] {
  const repaired: [number, number][] = []
  for (const f of frames) {
    if (f.kind !== 'journal.seq_repair') continue
    const d = f.data as { tail_seq?: unknown; resume_after?: unknown }
    if (typeof d.tail_seq === 'number' && typeof d.resume_after === 'number') repaired.push([d.tail_seq + 1, d.resume_after])
  }
  const seqs = [...new Set(frames.map((f) => f.seq))].sort((a, b) => a - b)
  const gaps: [number, number][] = []
  let prev = 0
  for (const seq of seqs) {
    if (seq > prev + 1) {
      const gap: [number, number] = [prev + 1, seq - 1]
      if (!repaired.some(([from, to]) => from <= gap[0] && to >= gap[1])) gaps.push(gap)
    }
    prev = seq
  }
  return gaps
}

export function checkCollision(input: CollideInput): CollideReport {
  const ids = new Set(input.writers.map((w) => w.id))
  const ours = input.records.filter((r) => r.kind === WRITER_RECORD_KIND && ids.has((r.data as WriterRecordData).writer))
  const seen = new Map<string, Map<number, number[]>>()
  for (const id of ids) seen.set(id, new Map())
  let interleavings = 0
  let prevWriter: string | undefined
  for (const r of ours) {
    const d = r.data as WriterRecordData
    const perI = seen.get(d.writer) as Map<number, number[]>
    perI.set(d.i, [...(perI.get(d.i) ?? []), r.seq])
    if (prevWriter !== undefined && prevWriter !== d.writer) interleavings++
    prevWriter = d.writer
  }
  const writers: WriterCheck[] = input.writers.map((w) => {
    const perI = seen.get(w.id) as Map<number, number[]>
    let missing = 0
    let duplicates = 0
    for (let i = 0; i < input.appends; i++) {
      const copies = perI.get(i)?.length ?? 0
      if (copies === 0) missing++
      else duplicates += copies - 1
    }
    return {
      id: w.id,
      runtime: w.runtime,
      pid: w.pid,
      exit: w.exit,
      acked: w.acks.length,
      found: perI.size,
      missing,
      duplicates,
      commits: w.commits,
    }
  })
  const ackedMissing = input.writers.flatMap((w) => w.acks).filter((a) => !(seen.get(a.writer)?.get(a.i) ?? []).includes(a.seq))
  let violations = 0
  for (let k = 1; k < input.raw.frames.length; k++) {
    if ((input.raw.frames[k] as RawFrame).seq <= (input.raw.frames[k - 1] as RawFrame).seq) violations++
  }
  const notes: Record<string, number> = {}
  for (const f of input.raw.frames) if (f.kind.startsWith('journal.')) notes[f.kind] = (notes[f.kind] ?? 0) + 1
  const gaps = unexplainedGaps(input.raw.frames)
  const expected = input.writers.length * input.appends
  const found = writers.reduce((n, w) => n + w.found, 0)
  const duplicates = writers.reduce((n, w) => n + w.duplicates, 0)
  const lost = writers.reduce((n, w) => n + w.missing, 0)
  const commitCounts = input.writers.map((w) => w.commits)
  const commits = commitCounts.every((c) => c !== undefined) ? commitCounts.reduce((n: number, c) => n + (c as number), 0) : undefined
  const ok =
    found === expected &&
    lost === 0 &&
    duplicates === 0 &&
    ackedMissing.length === 0 &&
    input.corrupt === 0 &&
    input.torn === 0 &&
    violations === 0 &&
    gaps.length === 0 &&
    input.writers.every((w) => w.exit === 'exit 0')
  return {
    ok,
    expected,
    found,
    lost,
    duplicates,
    acked_missing: ackedMissing.length,
    acked_missing_examples: ackedMissing.slice(0, 5),
    interleavings,
    seq_rising: violations === 0,
    seq_order_violations: violations,
    unexplained_gaps: gaps,
    notes,
    corrupt: input.corrupt,
    torn: input.torn,
    raw_bad_lines: input.raw.badLines,
    wall_ms: Math.round(input.wallMs),
    appends_per_s: input.wallMs > 0 ? Math.round((found / input.wallMs) * 1000) : 0,
    commits,
    records_per_commit: commits !== undefined && commits > 0 ? Math.round((found / commits) * 100) / 100 : undefined,
    writers,
  }
}
