import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cliCommand } from '@lakehouse/launch'
import { afterAll, describe, expect, it } from 'vitest'
import { type Runtime, startServer } from './servers.ts'

/**
 * Pathway memory, the observer (events and workflow runs) and escape grants keep their state
 * in the journal: on each runtime, everything written before a SIGTERM answers the same after
 * a restart on the same data directory. A grant minted by the CLI (another process, appending
 * to the same grants journal through the kernel lock) is consumed by the server exactly once.
 */
const RUNTIMES: readonly Runtime[] = ['node', 'bun']
const work = mkdtempSync(join(tmpdir(), 'lakehouse-durable-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

type Json = Record<string, unknown>

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
  return { status: res.status, json: (await res.json()) as Json }
}

function cliMint(dataDir: string, scope: string): string {
  const [cmd = '', ...base] = cliCommand()
  const out = spawnSync(cmd, [...base, 'grant', 'mint', '--scope', scope, '--ttl', '10m', '--data-dir', dataDir], {
    encoding: 'utf8',
    timeout: 30_000,
  })
  expect(out.status, out.stderr).toBe(0)
  return out.stdout.trim()
}

const WORKFLOW = {
  name: 'restart-check',
  nodes: [
    { id: 'recall', mode: 'memory.search', input: { text: 'forklift Dayton' } },
    { id: 'check', mode: 'validate', input: { kind: 'sms', payload: { to: '+15555550100', body: 'Forklift shift in Dayton at 7am' } } },
    { id: 'broken', mode: 'sql', input: { sql: 'DELETE FROM workers' }, depends_on: ['check'] },
    { id: 'after', mode: 'embed', input: { texts: ['x'] }, depends_on: ['broken'] },
  ],
}

describe.each(RUNTIMES)('%s durable state', (runtime) => {
  it('keeps memory, observer events and runs, and grant state across a restart', async () => {
    const dataDir = join(work, runtime)
    const first = await startServer(runtime, { dataDir })
    let uid: string
    let revised: string
    let history: Json
    let run: Json
    let events: Json
    let replacedFingerprint: unknown
    try {
      const add = await call(first.url, 'POST', '/v1/memory/traces', { content: 'placed forklift drivers in Dayton', tags: ['placement'] })
      expect(add.status).toBe(201)
      uid = add.json.uid as string
      expect(
        (await call(first.url, 'PATCH', `/v1/memory/traces/${uid}`, { content: 'placed four forklift drivers in Dayton' })).json.rev,
      ).toBe(2)
      const rev = await call(first.url, 'POST', `/v1/memory/traces/${uid}/revise`, { content: 'Dayton client wants two more' })
      revised = rev.json.uid as string
      expect((await call(first.url, 'POST', `/v1/memory/traces/${uid}/retire`)).json.retired).toBe(true)
      history = (await call(first.url, 'GET', `/v1/memory/traces/${revised}/history`)).json
      expect((history.chain as Json[]).map((t) => t.uid)).toEqual([uid, revised])

      expect(
        (await call(first.url, 'POST', '/v1/observer/events', { events: [{ type: 'restart.a' }, { type: 'restart.b' }] })).status,
      ).toBe(202)
      events = (await call(first.url, 'GET', '/v1/observer/events?since=0')).json
      const ran = await call(first.url, 'POST', '/v1/observer/workflows/run', WORKFLOW)
      expect(ran.status).toBe(200)
      run = ran.json
      expect(run.success).toBe(false)
      expect((run.nodes as Json[]).map((n) => [n.id, n.status])).toEqual([
        ['recall', 'ok'],
        ['check', 'ok'],
        ['broken', 'failed'],
        ['after', 'skipped'],
      ])

      // Drift is refused, then replaced with a grant minted by the CLI while the server runs.
      expect((await call(first.url, 'POST', '/v1/ingest/shifts', 'id,site\n1,Dayton\n')).status).toBe(201)
      expect((await call(first.url, 'POST', '/v1/ingest/shifts', 'id,site\nS-1,Dayton\n')).status).toBe(409)
      const token = cliMint(dataDir, 'dataset.replace:shifts')
      const replaced = await call(first.url, 'POST', '/v1/ingest/shifts', 'id,site\nS-1,Dayton\n', { 'lakehouse-grant': token })
      expect([replaced.status, replaced.json.status]).toEqual([200, 'replaced'])
      replacedFingerprint = replaced.json.fingerprint
      const reused = await call(first.url, 'POST', '/v1/ingest/shifts', 'id,site\n1,2\n', { 'lakehouse-grant': token })
      expect([reused.status, reused.json.code]).toEqual([409, 'GRANT_REUSED'])
    } finally {
      expect(await first.stop()).toEqual({ code: 0, signal: null })
    }

    const second = await startServer(runtime, { dataDir })
    try {
      const trace = await call(second.url, 'GET', `/v1/memory/traces/${uid}`)
      expect(trace.json).toMatchObject({ rev: 2, retired: true, content: 'placed four forklift drivers in Dayton' })
      expect((await call(second.url, 'GET', `/v1/memory/traces/${revised}/history`)).json).toEqual(history)
      const stats = (await call(second.url, 'GET', '/v1/memory/stats')).json
      expect(stats).toMatchObject({ traces: 2, retired: 1, skipped_records: 0 })
      expect((stats.journal as Json).corrupt_skipped).toBe(0)
      expect((await call(second.url, 'GET', '/v1/observer/events?since=0')).json).toEqual(events)
      expect((await call(second.url, 'GET', `/v1/observer/runs/${run.run_id as string}`)).json).toEqual(run)
      const grants = (await call(second.url, 'GET', '/v1/grants')).json.grants as Json[]
      expect(grants.map((g) => [g.scope, g.status])).toEqual([['dataset.replace:shifts', 'consumed']])
      const dataset = (await call(second.url, 'GET', '/v1/catalog/datasets/shifts')).json
      expect(dataset.fingerprint).toBe(replacedFingerprint)
      expect((dataset.schema as Json[]).map((c) => c.type)).toEqual(['VARCHAR', 'VARCHAR'])
    } finally {
      await second.stop()
    }
  })
})
