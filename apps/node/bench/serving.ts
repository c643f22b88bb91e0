/**
 * Issue 13: what serving costs, per runtime. Boots the Node app (its bundle), the Bun app and a
 * bare node:http server answering the same /health body, then runs wrk against each in turn —
 * interleaved, round by round, so a busy neighbour slows every target alike — on
 * `POST /v1/validate` (a small JSON body, auth on) and `GET /health`, and prints the medians and
 * the ratios the issue sets targets for (Node ≥ 0.7 × Bun on validate, Node ≥ 0.8 × bare on health).
 *
 *   node_modules/.bin/bun apps/node/bench/serving.ts [--rounds 3] [--duration 5] [--connections 50]
 *   node_modules/.bin/bun apps/node/bench/serving.ts --targets node,bun,bare,node@/tmp/old,bun@/tmp/old
 *
 * `name@DIR` serves another checkout of the repository (before/after comparisons; its Node bundle
 * is rebuilt). Needs `wrk` on PATH. Reports, does not assert.
 *
 * With `taskset` and two or more cores, the servers run on core 0 and wrk on core 1 (`--no-pin`
 * to let the scheduler place them). Unpinned on a 2-core box the scheduler often runs wrk on the
 * server's core, and how often depends on when each runtime wakes it, which moved the Node / Bun
 * ratio by ±0.1 between runs (docs/ARCHITECTURE_COMPARISON.md, "Serving speed"). Next to req/s
 * it prints the server's CPU time per answer (user + system from /proc/<pid>/stat, Linux only),
 * which a busy neighbour disturbs far less.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { bunBinary, isAppRuntime, nodeBinary, serverCommand } from '@lakehouse/launch'

const ROOT = resolve(import.meta.dirname, '../../..')
const BUN = bunBinary()
const TOKEN = 'serving-bench-token-0123456789'
const VALIDATE_BODY = '{"kind":"sms","payload":{"to":"555-123-4567","body":"Shift at 7am tomorrow. Call 5551234567 with questions."}}'
// The body GET /health answers, so the bare server writes what the apps write.
const BARE_SERVER = `
const body = JSON.stringify({ status: 'ok', runtime: 'node', version: '0.1.0', uptime_s: 1 })
require('node:http').createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}).listen(0, '127.0.0.1', function () { console.log(JSON.stringify({ msg: 'listening', url: 'http://127.0.0.1:' + this.address().port })) })
`

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback
}
const rounds = Number(flag('rounds', '3'))
const seconds = Number(flag('duration', '5'))
const connections = Number(flag('connections', '50'))
const targets = flag('targets', 'node,bun,bare').split(',')
const pin = !process.argv.includes('--no-pin') && availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0
// Prefixes a command with a core pin when pinning.
const onCore = (core: number, cmd: string, args: string[]): { cmd: string; args: string[] } =>
  pin ? { cmd: 'taskset', args: ['-c', String(core), cmd, ...args] } : { cmd, args }
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100

/** User + system CPU seconds of a process so far (fields 14 and 15 of /proc/<pid>/stat); NaN off Linux. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may hold spaces; fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
  } catch {
    return Number.NaN
  }
}

interface Running {
  readonly name: string
  readonly url: string
  readonly proc: ChildProcess
  readonly dir: string
}

function command(target: string, dataDir: string): { cmd: string; args: string[] } {
  const [kind, tree = ROOT] = target.split('@') as [string, string?]
  const serve = ['--port', '0', '--data-dir', dataDir, '--log-level', 'error']
  if (kind === 'bare') return { cmd: nodeBinary(), args: ['-e', BARE_SERVER] }
  if (!isAppRuntime(kind)) throw new Error(`unknown target ${target}: node, bun or bare, optionally @DIR`)
  if (kind === 'node') {
    const built = spawnSync(BUN, [join(tree, 'apps/node/build.ts')], { stdio: 'ignore' })
    if (built.status !== 0) throw new Error(`cannot build the Node app in ${tree}`)
  }
  const [cmd = '', ...args] = serverCommand(kind, tree)
  return { cmd, args: [...args, ...serve] }
}

function boot(target: string): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'lakehouse-serving-'))
  const { cmd, args } = (({ cmd, args }) => onCore(0, cmd, args))(command(target, dir))
  const proc = spawn(cmd, args, { env: { ...process.env, LAKEHOUSE_AUTH_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((ok, fail) => {
    let out = ''
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /"msg":"listening"[^\n]*"url":"([^"]+)"/.exec(out)
      if (m?.[1] !== undefined) ok({ name: target, url: m[1], proc, dir })
    })
    proc.on('exit', (code) => fail(new Error(`${target} exited with ${code} before listening`)))
  })
}

interface Measured {
  readonly rps: number
  /** Server CPU µs per answer (NaN where /proc is missing). */
  readonly cpuUs: number
}

function wrk(url: string, script: string | undefined, secs: number, server?: ChildProcess): Measured {
  const before = cpuSeconds(server?.pid)
  const { cmd, args } = onCore(1, 'wrk', ['-t1', `-c${connections}`, `-d${secs}s`, ...(script === undefined ? [] : ['-s', script]), url])
  const r = spawnSync(cmd, args, { encoding: 'utf8' })
  const after = cpuSeconds(server?.pid)
  if (r.error !== undefined) throw new Error(`wrk: ${r.error.message} (is wrk installed?)`)
  const m = /Requests\/sec:\s+([\d.]+)/.exec(r.stdout)
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(r.stdout)
  if (errors !== null) throw new Error(`${url}: ${errors[1]} non-2xx answers`)
  const answers = Number(/(\d+) requests in/.exec(r.stdout)?.[1] ?? Number.NaN)
  return { rps: m === null ? Number.NaN : Number(m[1]), cpuUs: ((after - before) * 1e6) / answers }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

const work = mkdtempSync(join(tmpdir(), 'lakehouse-serving-wrk-'))
const post = join(work, 'post.lua')
writeFileSync(
  post,
  `wrk.method = "POST"\nwrk.body = '${VALIDATE_BODY}'\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer ${TOKEN}"\n`,
)
const running: Running[] = []
try {
  for (const t of targets) running.push(await boot(t))
  type Row = { validate: Measured[]; health: Measured[] }
  const results = new Map<string, Row>(running.map((r) => [r.name, { validate: [], health: [] }]))
  for (const r of running) {
    // Warm-up: JIT, caches, the validator's compiled schemas.
    if (!r.name.startsWith('bare')) wrk(`${r.url}/v1/validate`, post, 2)
    wrk(`${r.url}/health`, undefined, 1)
  }
  for (let round = 1; round <= rounds; round++) {
    for (const r of running) {
      const row = results.get(r.name) as Row
      if (!r.name.startsWith('bare')) row.validate.push(wrk(`${r.url}/v1/validate`, post, seconds, r.proc))
      row.health.push(wrk(`${r.url}/health`, undefined, seconds, r.proc))
      const last = (xs: Measured[]) => `${Math.round(xs.at(-1)?.rps ?? 0)} req/s, ${Math.round(xs.at(-1)?.cpuUs ?? 0)} µs`
      const validate = row.validate.length === 0 ? '' : `validate ${last(row.validate)}; `
      process.stderr.write(`round ${round} ${r.name}: ${validate}health ${last(row.health)}\n`)
    }
  }
  const fmt = (n: number) => (Number.isNaN(n) ? '—' : Math.round(n).toLocaleString('en-US'))
  const placed = pin ? 'servers on core 0, wrk on core 1' : 'unpinned'
  console.log(
    `\nwrk -t1 -c${connections}, ${rounds} × ${seconds} s per target, interleaved, ${placed}; median req/s (range), median server CPU µs per answer\n`,
  )
  console.log('| target | POST /v1/validate | CPU µs | GET /health | CPU µs |')
  console.log('|---|---:|---:|---:|---:|')
  for (const [name, row] of results) {
    const cell = (xs: Measured[]) => {
      const rps = xs.map((x) => x.rps)
      return xs.length === 0
        ? '— | —'
        : `${fmt(median(rps))} (${fmt(Math.min(...rps))}–${fmt(Math.max(...rps))}) | ${fmt(median(xs.map((x) => x.cpuUs)))}`
    }
    console.log(`| ${name} | ${cell(row.validate)} | ${cell(row.health)} |`)
  }
  const m = (name: string, k: keyof Row) => median((results.get(name)?.[k] ?? []).map((x) => x.rps))
  if (results.has('node') && results.has('bun'))
    console.log(`\nnode / bun, validate: ${(m('node', 'validate') / m('bun', 'validate')).toFixed(2)}`)
  if (results.has('node') && results.has('bare'))
    console.log(`node / bare node:http, health: ${(m('node', 'health') / m('bare', 'health')).toFixed(2)}`)
  if (results.has('bun') && results.has('bare'))
    console.log(`bun / bare node:http, health: ${(m('bun', 'health') / m('bare', 'health')).toFixed(2)}`)
} finally {
  await Promise.all(
    running.map(
      (r) =>
        new Promise<void>((done) => {
          r.proc.once('exit', () => done())
          r.proc.kill('SIGTERM')
        }),
    ),
  )
  for (const r of running) rmSync(r.dir, { recursive: true, force: true })
  rmSync(work, { recursive: true, force: true })
}
