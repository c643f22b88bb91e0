import { spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createGrantAuthority, loadGrantKey } from '@lakehouse/grants'
import { cliCommand } from '@lakehouse/launch'
import { dataLayout } from '@lakehouse/provision'
import { afterEach, describe, expect, it } from 'vitest'
import { GRANT_HELP } from '../src/commands/grant.ts'

/** The CLI as users run it (@lakehouse/launch): Bun on the sources. */
const [BUN = '', CLI = ''] = cliCommand()

const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(BUN, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } })

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'lakehouse-cli-grant-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function provisioned(): string {
  const dir = join(tempDir(), 'state')
  const r = cli(['provision', '--data-dir', dir])
  expect(r.status, r.stderr).toBe(0)
  return dir
}

describe('lakehouse grant', () => {
  it('exits 2 and says to run `lakehouse provision` when the data directory is not provisioned', () => {
    const dir = join(tempDir(), 'never')
    for (const args of [
      ['grant', 'mint', '--scope', 'sql.write', '--ttl', '10m', '--data-dir', dir],
      ['grant', 'list', '--data-dir', dir],
    ]) {
      const r = cli(args)
      expect(r.status).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr).toContain('GRANT_KEY_UNAVAILABLE')
      expect(r.stderr).toContain(dataLayout(dir).secretKey)
      expect(r.stderr).toContain(`fix:   run \`lakehouse provision --data-dir ${dir}\``)
    }
  })

  it('mints a token on stdout that the package verifies and consumes once; list and revoke follow', async () => {
    const dir = provisioned()
    const minted = cli(['grant', 'mint', '--scope', 'dataset.replace:workers', '--ttl', '10m', '--data-dir', dir])
    expect(minted.status, minted.stderr).toBe(0)
    const token = minted.stdout.trim()
    expect(token).toMatch(/^lhg1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/)
    expect(minted.stderr).toMatch(/^grant [0-9a-f]{32} for dataset\.replace:workers, single use, expires \d{4}-\d\d-\d\dT/)

    // What a server does with the header: same key file, same grants directory.
    const auth = createGrantAuthority({ dir: dataLayout(dir).grants, key: await loadGrantKey(dir) })
    const info = await auth.consume(token, 'dataset.replace:workers')
    await expect(auth.consume(token, 'dataset.replace:workers')).rejects.toMatchObject({ code: 'GRANT_REUSED' })

    const json = cli(['grant', 'mint', '--scope', 'sql.write', '--ttl', '500ms', '--json'], { LAKEHOUSE_DATA_DIR: dir })
    expect(json.status, json.stderr).toBe(0)
    const other = JSON.parse(json.stdout)
    expect(Object.keys(other)).toEqual(['token', 'id', 'scope', 'issued_at', 'expires_at'])
    expect(Date.parse(other.expires_at) - Date.parse(other.issued_at)).toBe(500)

    const list = cli(['grant', 'list', '--data-dir', dir, '--json'])
    expect(list.status).toBe(0)
    const grants = JSON.parse(list.stdout).grants as { id: string; status: string }[]
    expect(grants.find((g) => g.id === info.id)?.status).toBe('consumed')
    expect(list.stdout).not.toContain('lhg1.')
    const table = cli(['grant', 'list', '--data-dir', dir])
    expect(table.stdout.split('\n')[0]).toMatch(/^id\s+scope\s+status\s+issued_at\s+expires_at$/)
    expect(table.stdout).toContain(info.id)

    const revoke = cli(['grant', 'revoke', other.id, '--data-dir', dir])
    expect([revoke.status, revoke.stdout]).toEqual([0, `revoked ${other.id} (sql.write)\n`])
    await expect(auth.verify(other.token, 'sql.write')).rejects.toMatchObject({ code: 'GRANT_REVOKED' })
    const consumed = cli(['grant', 'revoke', info.id, '--data-dir', dir])
    expect([consumed.status, consumed.stderr]).toEqual([1, expect.stringContaining('GRANT_REUSED')])
    const unknown = cli(['grant', 'revoke', '0'.repeat(32), '--data-dir', dir])
    expect([unknown.status, unknown.stderr]).toEqual([1, expect.stringContaining('GRANT_NOT_FOUND')])
  })

  it('exits 2 on usage errors before touching the key', () => {
    const dir = join(tempDir(), 'never')
    const cases: [string[], string][] = [
      [['grant'], ''],
      [['grant', 'frob'], 'unknown subcommand'],
      [['grant', 'mint', '--ttl', '10m'], 'needs --scope and --ttl'],
      [['grant', 'mint', '--scope', 'sql.write'], 'needs --scope and --ttl'],
      [['grant', 'mint', '--scope', 'admin', '--ttl', '10m'], 'unknown scope "admin"'],
      [['grant', 'mint', '--scope', 'sql.write', '--ttl', '8d'], 'GRANT_INVALID_TTL'],
      [['grant', 'mint', '--scope', 'sql.write', '--ttl', 'soon'], 'GRANT_INVALID_TTL'],
      [['grant', 'revoke'], 'needs exactly one grant id'],
      [['grant', 'list', '--scope', 'sql.write'], '--scope and --ttl are for mint'],
      [['grant', 'list', 'extra'], 'Unexpected argument'],
    ]
    for (const [args, message] of cases) {
      const r = cli([...args, '--data-dir', dir])
      expect([args, r.status]).toEqual([args, 2])
      expect(r.stderr + r.stdout).toContain(message)
    }
  })

  it('exits 2 naming the mode when the key has loose permissions, and leaves it loose', () => {
    const dir = provisioned()
    chmodSync(dataLayout(dir).secretKey, 0o644)
    const r = cli(['grant', 'mint', '--scope', 'sql.write', '--ttl', '1m', '--data-dir', dir])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('has mode 0644, expected 0600')
    expect(r.stderr).toContain('lakehouse provision')
  })

  it('is listed in the top-level help', () => {
    const r = cli(['--help'])
    expect(r.stdout).toContain('grant      mint, list or revoke')
    expect(r.stdout).toContain(GRANT_HELP.split('\n')[0])
    expect(cli(['grant', '--help']).status).toBe(0)
  })
})
