import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cliCommand } from '@lakehouse/launch'
import { afterEach, describe, expect, it } from 'vitest'

/** The CLI as users run it (@lakehouse/launch): Bun on the sources. */
const [BUN = '', CLI = ''] = cliCommand()

// Async spawn for commands that talk to a server this test process is waiting on.
function cliAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(BUN, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    p.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c))
    p.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
    p.on('exit', (status) => resolve({ status, stdout, stderr }))
  })
}

const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(BUN, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } })

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'lakehouse-cli-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('lakehouse CLI', () => {
  it('prints help, and exits 2 on an unknown command', () => {
    expect(cli(['--help']).stdout).toContain('lakehouse <command>')
    const bad = cli(['frobnicate'])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('unknown command')
  })

  it('doctor fails before provisioning, provision creates the tree, doctor then passes', () => {
    const dir = join(tempDir(), 'state')
    const before = cli(['doctor', '--data-dir', dir])
    expect(before.status).toBe(1)
    expect(before.stdout).toContain('FAIL')
    const prov = cli(['provision', '--data-dir', dir])
    expect(prov.status).toBe(0)
    expect(prov.stdout).toContain(`provisioned ${dir} (from flag)`)
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600)
    const again = cli(['provision', '--data-dir', dir, '--json'])
    expect(JSON.parse(again.stdout)).toMatchObject({ dir, created: [], key: { created: false } })
    const after = cli(['doctor', '--json'], { LAKEHOUSE_DATA_DIR: dir })
    expect(after.status).toBe(0)
    expect(JSON.parse(after.stdout)).toMatchObject({ ok: true, source: 'LAKEHOUSE_DATA_DIR' })
  })

  it('provision exits 2 naming the path when the data dir is a file', () => {
    const file = join(tempDir(), 'file')
    writeFileSync(file, 'x')
    const r = cli(['provision', '--data-dir', file])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(file)
  })

  it('serve refuses a missing or unknown runtime with exit 2', () => {
    expect(cli(['serve']).status).toBe(2)
    expect(cli(['serve', '--runtime', 'deno']).stderr).toContain('--runtime must be one of node, bun')
  })

  it.each(['node', 'bun'])('serve --runtime %s announces its URL, answers /health and stops on SIGTERM', async (runtime) => {
    const dir = tempDir()
    const child = spawn(BUN, [CLI, 'serve', '--runtime', runtime, '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    let out = ''
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 30_000)
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        out += c
        const m = /"msg":"listening"[^\n]*"url":"([^"]+)"/.exec(out)
        if (m?.[1] !== undefined) {
          clearTimeout(timer)
          resolve(m[1])
        }
      })
    })
    const health = (await (await fetch(`${url}/health`)).json()) as { runtime: string }
    expect(health.runtime).toBe(runtime)
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })

  it('generates the corpus deterministically, ingests it with progress and queries it through a running server', async () => {
    const dir = tempDir()
    const a = cli(['corpus', 'generate', '--rows', '500', '--seed', 'cli', '--out', join(dir, 'a.csv')])
    const b = cli(['corpus', 'generate', '--rows', '500', '--seed', 'cli', '--out', join(dir, 'b.csv')])
    expect(a.status).toBe(0)
    const sha = (out: string) => /sha256: ([0-9a-f]{64})/.exec(out)?.[1]
    expect(sha(a.stdout)).toBeDefined()
    expect(sha(a.stdout)).toBe(sha(b.stdout))

    const server = spawn(BUN, [CLI, 'serve', '--runtime', 'bun', '--port', '0', '--data-dir', join(dir, 'state')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)))
    try {
      let out = ''
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 30_000)
        server.stdout.setEncoding('utf8').on('data', (c: string) => {
          out += c
          const m = /"msg":"listening"[^\n]*"url":"([^"]+)"/.exec(out)
          if (m?.[1] !== undefined) {
            clearTimeout(timer)
            resolve(m[1])
          }
        })
      })
      const ingest = await cliAsync(['ingest', join(dir, 'a.csv'), '--name', 'workers', '--url', url])
      expect(ingest.status, ingest.stderr).toBe(0)
      expect(ingest.stdout).toContain('created dataset workers')
      expect(ingest.stdout).toContain('rows: 500')
      expect(ingest.stderr).toMatch(/ingest a\.csv: .* → HTTP 201/)
      const again = await cliAsync(['ingest', join(dir, 'a.csv'), '--name', 'workers', '--url', url])
      expect(again.stdout).toContain('unchanged dataset workers')
      const sql = await cliAsync(['sql', 'SELECT count(*) AS n FROM workers', '--url', url])
      expect(sql.status, sql.stderr).toBe(0)
      expect(sql.stdout).toMatch(/^n\s*\n-+\s*\n500\s*\n\(1 row\)/)
      const forbidden = await cliAsync(['sql', 'DROP VIEW workers', '--url', url])
      expect(forbidden.status).toBe(1)
      expect(forbidden.stderr).toContain('QUERY_FORBIDDEN')
      const missing = await cliAsync(['ingest', join(dir, 'nope.csv'), '--name', 'x', '--url', url])
      expect(missing.status).toBe(2)

      const index = await cliAsync(['corpus', 'index', '--dataset', 'workers', '--index', 'workers', '--batch', '200', '--url', url])
      expect(index.status, index.stderr).toBe(0)
      expect(index.stderr).toContain('indexed 500 workers into workers (local/lexical-384, 384-d)')
      // A second run resumes after what is already in the index instead of starting over.
      const resumed = await cliAsync(['corpus', 'index', '--dataset', 'workers', '--index', 'workers', '--batch', '200', '--url', url])
      expect(resumed.status, resumed.stderr).toBe(0)
      expect(resumed.stderr).toContain('resuming after W-000500 (500 already indexed)')
      const info = (await (await fetch(`${url}/v1/vector/indexes/workers`)).json()) as { size: number }
      expect(info.size).toBe(500)
      const search = await fetch(`${url}/v1/matrix/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'forklift operator OSHA-30', k: 3 }),
      })
      expect(search.status).toBe(200)
      expect(((await search.json()) as { results: unknown[] }).results).toHaveLength(3)

      // Issue 13: other rows with the same schema are a new version, reported as such, and the
      // index built from the old one is stale until `corpus index` rebuilds it.
      expect(cli(['corpus', 'generate', '--rows', '200', '--seed', 'other', '--out', join(dir, 'c.csv')]).status).toBe(0)
      const replaced = await cliAsync(['ingest', join(dir, 'c.csv'), '--name', 'workers', '--url', url])
      expect(replaced.status, replaced.stderr).toBe(0)
      expect(replaced.stdout).toContain('replaced dataset workers')
      expect(replaced.stdout).toContain('rows: 500 → 200')
      expect(replaced.stdout).toContain('stale index: workers (built from version 1')
      const refreshed = await cliAsync(['corpus', 'index', '--dataset', 'workers', '--index', 'workers', '--batch', '200', '--url', url])
      expect(refreshed.status, refreshed.stderr).toBe(0)
      expect(refreshed.stderr).toContain('rebuilding it from workers version 2')
      const rebuilt = (await (await fetch(`${url}/v1/vector/indexes/workers`)).json()) as { size: number; source: unknown }
      expect(rebuilt).toMatchObject({ size: 200, source: { dataset: 'workers', version: 2 } })
      const view = (await (await fetch(`${url}/v1/catalog/datasets/workers`)).json()) as { stale_indexes: unknown[] }
      expect(view.stale_indexes).toEqual([])
      // A drifted schema is refused with a hint the CLI can act on.
      writeFileSync(join(dir, 'drift.csv'), 'worker_id,shoe_size\nW-1,42\n')
      const drift = await cliAsync(['ingest', join(dir, 'drift.csv'), '--name', 'workers', '--url', url])
      expect(drift.status).toBe(1)
      expect(drift.stderr).toContain('CATALOG_SCHEMA_CONFLICT')
      expect(drift.stderr).toContain('--grant')
      expect(drift.stderr).toContain('lakehouse grant mint --scope dataset.replace:workers')
    } finally {
      server.kill('SIGTERM')
      await exited
    }
  })
})
