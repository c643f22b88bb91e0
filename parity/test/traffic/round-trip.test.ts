/**
 * Issue 16's round trip: one scripted client session against two services that differ on
 * purpose (round-trip-servers.ts), seen two ways —
 *
 * (a) live, through shadow mode: answered by a primary, every request (writes too) mirrored to
 *     a candidate and to a secondary (a second primary, for noise);
 * (b) recorded, through the recording proxy in front of a primary, written as a corpus and
 *     replayed with `runParity` against fresh primary, candidate and secondary instances.
 *
 * The replayed corpus must yield the same findings (class, normalised path, shape) as the live
 * comparison: the deliberate differences, and not the per-process `instance` (noise in both).
 */

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunReport } from '../../src/model.ts'
import { runParity } from '../../src/run/runner.ts'
import type { ShadowResult } from '../../src/shadow/shadow-session.ts'
import { startShadowSession } from '../../src/shadow/shadow-session.ts'
import { type RecordedCorpus, writeRecordedCorpus } from '../../src/traffic/corpus-writer.ts'
import { corpusExchanges, EXCHANGE_LOG_NAME, openExchangeLog, readExchangeLog } from '../../src/traffic/exchange-log.ts'
import { startRecordProxy } from '../../src/traffic/record-proxy.ts'
import { shadowOptions } from '../shadow/fixture-servers.ts'
import { type ItemsServer, runSession, type SessionStats, startItemsServer } from './round-trip-servers.ts'

/** What the services differ in, as findings: string ids, the extra `href`, the dropped header. */
const DELIBERATE = [
  'extra $.href absent→string',
  'extra $.items[*].href absent→string',
  'header header:x-api-version present→absent',
  'type $.id integer→string',
  'type $.items[*].id integer→string',
]

const servers: ItemsServer[] = []
let dir: string
let shadow: ShadowResult
let shadowSession: SessionStats
let recordSession: SessionStats
let corpus: RecordedCorpus
let replay: RunReport

async function fresh(flavour: 'primary' | 'candidate'): Promise<ItemsServer> {
  const s = await startItemsServer(flavour)
  servers.push(s)
  return s
}

const findingKeys = (r: RunReport) => [...new Set(r.findings.map((f) => `${f.class} ${f.path} ${f.shape}`))].sort()

async function liveThroughShadow(): Promise<void> {
  const [primary, candidate, secondary] = [await fresh('primary'), await fresh('candidate'), await fresh('primary')]
  const session = await startShadowSession(
    shadowOptions({ primary: primary.url, candidate: candidate.url, secondary: secondary.url }, join(dir, 'shadow'), {
      mirrorWrites: true,
      // One mirror at a time per target, in arrival order: the candidate and the secondary apply
      // the writes in the order the primary did, so a GET of a created id finds it on each.
      queue: 1024,
      concurrency: 1,
      fullCases: 1000,
      slimCases: 0,
    }),
  )
  shadowSession = await runSession(session.url)
  shadow = await session.stop()
}

async function recordThenReplay(): Promise<void> {
  const recorded = await fresh('primary')
  const out = join(dir, 'recorded')
  mkdirSync(out, { recursive: true })
  const log = openExchangeLog(join(out, EXCHANGE_LOG_NAME), true)
  const proxy = await startRecordProxy({ host: '127.0.0.1', port: 0, target: recorded.url, onExchange: (e) => log.append(e) })
  recordSession = await runSession(proxy.url)
  proxy.stopAccepting()
  await proxy.drain(5_000)
  await proxy.close()
  log.close()
  // As `pnpm parity record` does on stop: read the log back, write the corpus from it.
  const { exchanges } = corpusExchanges(readExchangeLog(log.path).entries)
  corpus = writeRecordedCorpus(exchanges, { outDir: join(out, 'cases') })

  const [primary, candidate, secondary] = [await fresh('primary'), await fresh('candidate'), await fresh('primary')]
  replay = (
    await runParity({
      targets: [
        { name: 'primary', url: primary.url },
        { name: 'candidate', url: candidate.url },
      ],
      secondary: { name: 'secondary', url: secondary.url },
      selection: { caseDir: join(out, 'cases'), root: out },
      outDir: join(dir, 'reports'),
      updateDocs: false,
    })
  ).report
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parity-round-trip-'))
  await liveThroughShadow()
  await recordThenReplay()
}, 120_000)

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()))
  rmSync(dir, { recursive: true, force: true })
})

describe('record → replay round trip against two services that differ on purpose', () => {
  it('drives the same 284-request session both ways', () => {
    expect(shadowSession).toEqual({ requests: 284, created: 60, deleted: 20 })
    expect(recordSession).toEqual(shadowSession)
  })

  it('shadow mode mirrors and compares every request, writes included', () => {
    expect(shadow.counters).toMatchObject({ requests: 284, mirrored: 284, compared: 284, dropped: 0, mirrorErrors: 0, primaryErrors: 0 })
    expect(shadow.report.summary.errors).toBe(0)
  })

  it('records every request and replays the corpus without a case error, captured ids filled per target', () => {
    // Each create's id is captured (60) and reused by its read, patch and, every third, delete and read.
    expect(corpus).toMatchObject({ steps: corpus.cases, captures: 60, skipped: [] })
    expect(corpus.cases + corpus.folded).toBe(284)
    expect(replay.summary.errors).toBe(0)
    const steps = replay.cases.flatMap((c) => c.steps)
    const patches = steps.filter((s) => s.method === 'PATCH')
    expect(patches).toHaveLength(60)
    expect(patches.every((s) => s.responses.primary?.status === 200 && s.responses.candidate?.status === 200)).toBe(true)
    const deletes = steps.filter((s) => s.method === 'DELETE')
    expect(deletes.every((s) => s.responses.primary?.status === 204 && s.responses.candidate?.status === 204)).toBe(true)
  })

  it('the replayed corpus yields the findings the live traffic did: the deliberate differences only', () => {
    expect(findingKeys(shadow.report)).toEqual(DELIBERATE)
    expect(findingKeys(replay)).toEqual(findingKeys(shadow.report))
    for (const r of [shadow.report, replay]) {
      expect(r.findings.every((f) => f.pair[0] === 'primary' && f.pair[1] === 'candidate')).toBe(true)
      // Both reports lead with the breaking change a client parsing ids would hit first.
      expect(`${r.findings[0]?.class} ${r.findings[0]?.path} ${r.findings[0]?.shape}`).toBe('type $.id integer→string')
      expect(r.exitCode).toBe(1)
    }
    // The counts differ, and should: the corpus folds the 60 page reads into one weighted case
    // (and the two seed reads into one), so a finding's occurrences there count cases, not requests.
    const listIds = (r: RunReport) => r.findings.find((f) => f.path === '$.items[*].id')?.occurrences
    expect([listIds(shadow.report), listIds(replay)]).toEqual([41, 2])
  })

  it('the per-process instance differs primary↔secondary: noise in both, never a finding', () => {
    for (const r of [shadow.report, replay]) {
      const noise = new Set(r.cases.flatMap((c) => c.steps.flatMap((s) => s.noise.map((n) => n.path))))
      expect(noise).toEqual(new Set(['$.instance', 'header:x-instance']))
      expect(r.divergences.some((d) => d.path.includes('instance'))).toBe(false)
    }
  })
})
