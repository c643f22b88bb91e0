import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LAKEHOUSE_VERSION } from '@lakehouse/kit'
import { cliCommand } from '@lakehouse/launch'
import { afterEach, describe, expect, it } from 'vitest'
import { colorEnabled } from '../src/color.ts'
import { closest, editDistance } from '../src/suggest.ts'

/** The CLI as users run it (@lakehouse/launch): Bun on the sources. */
const [BUN = '', CLI = ''] = cliCommand()

// Colour and the server URL come from the environment: each test says what it wants.
const BASE_ENV: Record<string, string | undefined> = {
  ...process.env,
  NO_COLOR: undefined,
  FORCE_COLOR: undefined,
  LAKEHOUSE_URL: undefined,
}
const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(BUN, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...BASE_ENV, ...env } as NodeJS.ProcessEnv })

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'lakehouse-cli-polish-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const { port } = srv.address() as { port: number }
  await new Promise((resolve) => srv.close(resolve))
  return port
}

describe('did you mean', () => {
  it('finds a close name and nothing for an unrelated word', () => {
    expect(editDistance('sevre', 'serve')).toBe(1)
    expect(closest('sevre', ['serve', 'sql', 'grant'])).toBe('serve')
    expect(closest('frobnicate', ['serve', 'sql', 'grant'])).toBeUndefined()
    expect(closest('--row', ['--rows', '--out'])).toBe('--rows')
  })

  it('suggests a command, a flag and --runtime, exiting 2 with the usage line', () => {
    const cmd = cli(['sevre'])
    expect(cmd.status).toBe(2)
    expect(cmd.stderr).toContain('unknown command "sevre"; did you mean serve?')
    expect(cmd.stderr).toContain('lakehouse <command> [options]')

    const flag = cli(['corpus', 'generate', '--row', '5', '--out', '/dev/null'])
    expect(flag.status).toBe(2)
    expect(flag.stderr).toContain("Unknown option '--row'; did you mean --rows?")
    expect(flag.stderr).toContain('usage: lakehouse corpus generate')

    const runtime = cli(['serve', '--runtim', 'node'])
    expect(runtime.status).toBe(2)
    expect(runtime.stderr).toContain("unknown option '--runtim'; did you mean --runtime?")
    expect(cli(['serve', '--runtim=bun']).stderr).toContain('did you mean --runtime?')
  })
})

describe('lakehouse CLI polish', () => {
  it('--version and -v print the Lakehouse version and exit 0', () => {
    for (const flag of ['--version', '-v']) {
      const r = cli([flag])
      expect(r.status).toBe(0)
      expect(r.stdout).toBe(`lakehouse ${LAKEHOUSE_VERSION}\n`)
    }
  })

  it('corpus --help prints the index usage once; the top-level help names corpus index and LAKEHOUSE_URL', () => {
    const corpus = cli(['corpus', '--help'])
    expect(corpus.status).toBe(0)
    expect(corpus.stdout.split('lakehouse corpus index --dataset').length - 1).toBe(1)
    const top = cli(['--help'])
    expect(top.stdout).toMatch(/corpus .*\n.*\(corpus index\)/)
    expect(top.stdout.split('lakehouse corpus index --dataset').length - 1).toBe(1)
    expect(top.stdout).toContain('$LAKEHOUSE_URL')
    for (const help of [
      ['sql', '--help'],
      ['ingest', '--help'],
      ['corpus', 'index', '--help'],
    ]) {
      const r = cli(help)
      expect(r.status).toBe(0)
      expect(r.stdout).toContain('$LAKEHOUSE_URL')
      expect(r.stdout).toContain('lakehouse serve')
    }
  })

  it('corpus generate --rows abc says --rows is not a number', () => {
    const r = cli(['corpus', 'generate', '--rows', 'abc', '--out', join(tempDir(), 'x.csv')])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('--rows must be a whole number 0..50000000, not "abc"')
    expect(r.stderr.split('\n')[0]).not.toContain('--out')
    expect(cli(['corpus', 'generate', '--rows', '5']).stderr).toContain('needs --out FILE.csv')
  })

  it('doctor collide takes --data-dir; --dir still works with a deprecation warning', () => {
    const store = join(tempDir(), 'store')
    const r = cli(['doctor', 'collide', '--writers', '2', '--appends', '10', '--runtime', 'bun', '--data-dir', store])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain(`store            ${store} (kept)`)
    expect(r.stderr).not.toContain('deprecated')
    expect(readdirSync(join(store, 'segments')).length).toBeGreaterThan(0)
    const old = join(tempDir(), 'old')
    const legacy = cli(['doctor', 'collide', '--writers', '2', '--appends', '10', '--runtime', 'bun', '--dir', old])
    expect(legacy.status, legacy.stderr).toBe(0)
    expect(legacy.stderr).toContain('--dir is deprecated; use --data-dir')
    expect(legacy.stdout).toContain(`store            ${old} (kept)`)
  })

  it('client commands that reach no server say to start one or pass --url / LAKEHOUSE_URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`
    const csv = join(tempDir(), 'w.csv')
    expect(cli(['corpus', 'generate', '--rows', '3', '--out', csv]).status).toBe(0)
    for (const args of [
      ['sql', 'SELECT 1'],
      ['ingest', csv, '--name', 'w'],
      ['corpus', 'index'],
    ]) {
      const r = cli(args, { LAKEHOUSE_URL: url })
      expect(r.status, args.join(' ')).toBe(2)
      expect(r.stderr).toContain(`cannot reach a server at ${url} (from LAKEHOUSE_URL)`)
      expect(r.stderr).toContain('lakehouse serve')
      expect(r.stderr).toContain('--url URL or LAKEHOUSE_URL=URL')
    }
    const flagged = cli(['sql', 'SELECT 1', '--url', url])
    expect(flagged.stderr).toContain(`cannot reach a server at ${url}:`)
  })

  it('NO_COLOR turns colour off; FORCE_COLOR turns it on off a terminal', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true)
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false)
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true)
    expect(colorEnabled({ isTTY: false }, {})).toBe(false)
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true)
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: 'yes' })).toBe(false)
    expect(colorEnabled({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false)
    expect(colorEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false)
    const dir = join(tempDir(), 'state')
    expect(cli(['doctor', '--data-dir', dir], { FORCE_COLOR: '1' }).stdout).toContain('\u001b[31mFAIL')
    expect(cli(['doctor', '--data-dir', dir], { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).not.toContain('\u001b[')
    expect(cli(['doctor', '--data-dir', dir]).stdout).not.toContain('\u001b[')
  })

  it.each(['bun', 'node'])(
    'one Ctrl-C (SIGINT to the whole process group) stops `serve --runtime %s` cleanly: exit 0, no "second signal"',
    async (runtime) => {
      const dir = tempDir()
      // Its own process group, as a terminal's foreground job: the group signal reaches the CLI
      // and the server it runs, and the CLI forwards it too.
      const child = spawn(BUN, [CLI, 'serve', '--runtime', runtime, '--port', '0', '--data-dir', dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
        env: BASE_ENV as NodeJS.ProcessEnv,
      })
      const pgid = child.pid as number
      let out = ''
      child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c))
      child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c))
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
      const killer = setTimeout(() => process.kill(-pgid, 'SIGKILL'), 45_000)
      try {
        for (let i = 0; i < 300 && !out.includes('"msg":"listening"'); i++) await new Promise((r) => setTimeout(r, 100))
        expect(out).toContain('"msg":"listening"')
        // Start-up says one config line and `listening` at info.
        const infos = out
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as { level: string; msg: string })
          .filter((l) => l.level === 'info')
        expect(infos.map((l) => l.msg)).toEqual(['config', 'listening'])
        process.kill(-pgid, 'SIGINT')
        expect(await exited).toBe(0)
        expect(out).not.toContain('second signal')
        expect(out).toContain('"msg":"stopped"')
      } finally {
        clearTimeout(killer)
        try {
          process.kill(-pgid, 'SIGKILL')
        } catch {
          // the group is gone
        }
      }
    },
    60_000,
  )
})
