/**
 * Findings: a run's divergences grouped by root cause. Divergences sharing pair, class,
 * normalised path and shape (their `findingId`) are one finding, whatever step or case they
 * came from — `$.id` integer→string once, not once per case and array index. Each counts its
 * occurrences against the comparisons that could have shown it (steps of the same pair at
 * the endpoints it touched), which is how a reader tells "always" from "once".
 *
 * Then co-occurrence: findings that changed the same way (class and kind of change) in
 * exactly the same steps, as members of one object or as headers, are one finding — seven
 * headers a framework stopped sending on every answer, the five members a DELETE now
 * returns. Each keeps its per-path id in `parts`, so the tracker and known divergences work
 * whatever a later run merges.
 */
import { createHash } from 'node:crypto'
import { formatPath, normalizePath, parsePath } from '../diff/index.ts'
import { type Divergence, type EndpointCount, type ParityFinding, type ReportedCase, RISKS, type Risk } from '../model.ts'

interface Building {
  /** Every step (`case\0step\0pair`) where a member occurred, for co-occurrence. */
  readonly all: Set<string>
  readonly first: Divergence
  readonly endpointOfFirst: string
  risk: Risk
  /** Endpoint → the steps (`case\0step`) where a member occurred. */
  readonly steps: Map<string, Set<string>>
  readonly components: Set<string>
  readonly cases: Set<string>
  readonly members: Set<string>
  readonly trackerIds: Set<string>
  known: boolean
}

const pairKey = (pair: readonly [string, string]) => `${pair[0]}\u0000${pair[1]}`
const RISK_RANK: Readonly<Record<Risk, number>> = Object.fromEntries(RISKS.map((r, i) => [r, i])) as Record<Risk, number>

/** Pair → endpoint → steps that compared the pair there (both targets answered). */
function comparisonsOf(cases: readonly ReportedCase[], pairs: readonly (readonly [string, string])[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>(pairs.map((p) => [pairKey(p), new Map<string, number>()]))
  for (const c of cases) {
    for (const step of c.steps) {
      for (const pair of pairs) {
        if (step.responses[pair[0]] === undefined || step.responses[pair[1]] === undefined) continue
        const counts = out.get(pairKey(pair))
        counts?.set(step.endpoint, (counts.get(step.endpoint) ?? 0) + 1)
      }
    }
  }
  return out
}

/** Most severe first, then the broadest (most occurrences), then by path: a stable reading order. */
export function compareFindings(a: ParityFinding, b: ParityFinding): number {
  return (
    RISK_RANK[a.risk] - RISK_RANK[b.risk] ||
    b.occurrences - a.occurrences ||
    b.endpoints.length - a.endpoints.length ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  )
}

export function groupFindings(cases: readonly ReportedCase[], pairs: readonly (readonly [string, string])[]): ParityFinding[] {
  const groups = new Map<string, Building>()
  for (const c of cases) {
    for (const step of c.steps) {
      for (const d of step.divergences) {
        let g = groups.get(d.findingId)
        if (g === undefined) {
          g = {
            all: new Set(),
            first: d,
            endpointOfFirst: step.endpoint,
            risk: d.risk,
            steps: new Map(),
            components: new Set(),
            cases: new Set(),
            members: new Set(),
            trackerIds: new Set(),
            known: true,
          }
          groups.set(d.findingId, g)
        }
        if (RISK_RANK[d.risk] < RISK_RANK[g.risk]) g.risk = d.risk
        const at = g.steps.get(step.endpoint) ?? new Set<string>()
        const where = `${c.id}\u0000${step.name}\u0000${pairKey(d.pair)}`
        at.add(where)
        g.all.add(where)
        g.steps.set(step.endpoint, at)
        g.components.add(c.component)
        g.cases.add(c.id)
        g.members.add(d.id)
        if (d.trackerId !== undefined) g.trackerIds.add(d.trackerId)
        if (!d.known) g.known = false
      }
    }
  }

  // A contract finding's pair is one target twice: its comparisons are the steps that target answered.
  const selfPairs = [
    ...new Map(
      [...groups.values()].filter((g) => g.first.pair[0] === g.first.pair[1]).map((g) => [g.first.pair[0], g.first.pair]),
    ).values(),
  ]
  const compared = comparisonsOf(cases, [...pairs, ...selfPairs])
  const findings: ParityFinding[] = []
  const occurredAt = new Map<string, Set<string>>()
  for (const [id, g] of groups) {
    occurredAt.set(id, g.all)
    const d = g.first
    const perEndpoint = compared.get(pairKey(d.pair)) ?? new Map<string, number>()
    const endpoints: EndpointCount[] = [...g.steps]
      .map(([endpoint, steps]) => ({
        endpoint,
        occurrences: steps.size,
        // Never fewer comparisons than occurrences, even for a hand-built report.
        comparisons: Math.max(perEndpoint.get(endpoint) ?? 0, steps.size),
      }))
      .sort((a, b) => b.occurrences - a.occurrences || (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0))
    findings.push({
      id,
      pair: d.pair,
      class: d.class,
      risk: g.risk,
      path: normalizePath(d.path),
      paths: [normalizePath(d.path)],
      shape: d.shape,
      parts: [id],
      occurrences: endpoints.reduce((n, e) => n + e.occurrences, 0),
      comparisons: endpoints.reduce((n, e) => n + e.comparisons, 0),
      endpoints,
      components: [...g.components].sort(),
      cases: [...g.cases],
      example: {
        divergenceId: d.id,
        caseId: d.caseId,
        step: d.step,
        endpoint: g.endpointOfFirst,
        path: d.path,
        ...(d.baseline === undefined ? {} : { baseline: d.baseline }),
        ...(d.candidate === undefined ? {} : { candidate: d.candidate }),
        message: d.message,
      },
      members: [...g.members],
      known: g.known,
      trackerIds: [...g.trackerIds],
    })
  }
  return mergeCooccurring(findings, occurredAt).sort(compareFindings)
}

/** Where a finding may merge: the object holding a body member, or the header block; undefined: never. */
function containerOf(f: ParityFinding): { readonly container: string; readonly name: string } | undefined {
  if (f.class === 'status' || f.class === 'order') return undefined
  if (f.path.startsWith('header:')) return { container: 'header:', name: f.path.slice('header:'.length) }
  const segments = parsePath(f.path)
  const last = segments?.at(-1)
  if (segments === undefined || last?.kind !== 'member') return undefined
  return { container: formatPath(segments.slice(0, -1)), name: last.name }
}

/** Members dropped, added or changed merge whatever their types; headers and type changes keep their shape. */
const KIND_OF_CLASS: Partial<Record<ParityFinding['class'], string>> = {
  missing: 'present→absent',
  extra: 'absent→present',
  value: 'changed',
}

function kindOf(f: ParityFinding): string {
  return f.path.startsWith('header:') ? f.shape : (KIND_OF_CLASS[f.class] ?? f.shape)
}

const RISK_OF = (list: readonly ParityFinding[]): Risk =>
  list.reduce<Risk>((worst, f) => (RISK_RANK[f.risk] < RISK_RANK[worst] ? f.risk : worst), 'additive')

function mergeCooccurring(findings: readonly ParityFinding[], occurredAt: ReadonlyMap<string, ReadonlySet<string>>): ParityFinding[] {
  const buckets = new Map<string, { container: string; names: string[]; list: ParityFinding[] }>()
  const out: ParityFinding[] = []
  for (const f of findings) {
    const where = containerOf(f)
    if (where === undefined) {
      out.push(f)
      continue
    }
    const steps = [...(occurredAt.get(f.id) ?? [])].sort().join('\u0001')
    const key = [pairKey(f.pair), f.class, where.container, kindOf(f), steps].join('\u0002')
    const bucket = buckets.get(key) ?? { container: where.container, names: [], list: [] }
    bucket.names.push(where.name)
    bucket.list.push(f)
    buckets.set(key, bucket)
  }
  for (const { container, names, list } of buckets.values()) {
    const [first] = list
    if (first === undefined) continue
    if (list.length === 1) {
      out.push(first)
      continue
    }
    const order = names
      .map((name, i) => ({ name, f: list[i] as ParityFinding }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    const joined = `{${order.map((o) => o.name).join(',')}}`
    const path = container === 'header:' ? `header:${joined}` : `${container}.${joined}`
    const shape = kindOf(first)
    const key = [`${first.pair[0]}>${first.pair[1]}`, first.class, path, shape].join('\u0000')
    const known = list.every((f) => f.known)
    out.push({
      ...first,
      id: `pf-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`,
      risk: RISK_OF(list),
      path,
      paths: order.map((o) => o.f.path),
      shape,
      parts: order.map((o) => o.f.id),
      components: [...new Set(list.flatMap((f) => f.components))].sort(),
      cases: [...new Set(list.flatMap((f) => f.cases))],
      members: [...new Set(list.flatMap((f) => f.members))],
      known,
      trackerIds: [...new Set(list.flatMap((f) => f.trackerIds))],
    })
  }
  return out
}

/** "9/9 requests of `GET /posts/{id}`" style counts for one line: `9/9`. */
export function ratio(f: Pick<ParityFinding, 'occurrences' | 'comparisons'>): string {
  return `${f.occurrences}/${f.comparisons}`
}

/** One line naming a finding: `type $.id integer→string`, `header x-powered-by present→absent`, `status 200→201`. */
export function findingTitle(f: Pick<ParityFinding, 'class' | 'path' | 'shape'>): string {
  if (f.class === 'status') return `status ${f.shape}`
  const where = f.path.startsWith('header:') ? f.path.slice('header:'.length) : f.path
  return `${f.class} ${where} ${f.shape}`
}
