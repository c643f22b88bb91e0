import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shadowMain } from '../../src/shadow/shadow-cli.ts'
import { trackerDoc } from '../tracker/tracker-doc.ts'
import { type Fixture, inBatches, startFixture } from './fixture-servers.ts'

let primary: Fixture
let secondary: Fixture
let candidate: Fixture
let out: string

beforeAll(async () => {
  ;[primary, secondary, candidate] = await Promise.all([startFixture('primary'), startFixture('primary'), startFixture('candidate')])
  out = mkdtempSync(join(tmpdir(), 'parity-shadow-cli-'))
})

afterAll(async () => {
  await Promise.all([primary, secondary, candidate].map((f) => f?.close()))
  rmSync(out, { recursive: true, force: true })
})

function sink() {
  const chunks: string[] = []
  return { write: (t: string) => chunks.push(t), text: () => chunks.join('') }
}

/** Polls the CLI's stderr for the proxy's address (bounded: 200 × 25 ms). */
async function listeningUrl(err: { text(): string }): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err.text())
    if (m?.[1] !== undefined) return m[1]
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`no listening line in: ${err.text()}`)
}

describe('shadowMain', () => {
  it('stops after --max-requests, prints the findings and the counters, exits 1 for the new finding', async () => {
    const stdout = sink()
    const stderr = sink()
    const signal = new AbortController().signal
    const run = shadowMain(
      [
        '--listen',
        '127.0.0.1:0',
        '--primary',
        primary.url,
        '--candidate',
        candidate.url,
        '--secondary',
        secondary.url,
        '--max-requests',
        '8',
        '--out',
        out,
      ],
      { signal, stdout, stderr },
    )
    const url = await listeningUrl(stderr)
    await inBatches(8, 4, async (i) => (await request(`${url}/items/${i}`)).body.dump())
    expect(await run).toBe(1)
    const text = stdout.text()
    expect(text).toContain('type $.id integer→string')
    expect(text).toContain('shadow: 8 requests · 8 mirrored · 0 dropped')
    expect(text).toContain('mirrors: 8 compared · 0 errors')
    expect(stderr.text()).toContain('--max-requests 8 reached')
    const dir = /live page (\S+)\/live\.html/.exec(stderr.text())?.[1] ?? ''
    expect(existsSync(join(dir.startsWith('/') ? dir : join(process.cwd(), dir), 'report.json'))).toBe(true)
  })

  it('stops on the abort signal with exit 0 when the candidate agrees', async () => {
    const stderr = sink()
    const stdout = sink()
    const abort = new AbortController()
    const run = shadowMain(['--listen', '0', '--primary', primary.url, '--candidate', secondary.url, '--out', out, '--ignore', '$.seed'], {
      signal: abort.signal,
      stdout,
      stderr,
    })
    const url = await listeningUrl(stderr)
    await (await request(`${url}/items/1`)).body.dump()
    abort.abort()
    expect(await run).toBe(0)
    expect(stdout.text()).toContain('shadow: 1 requests · 1 mirrored')
  })

  it('reads --tracker: a finding an open row names is known, and the run passes', async () => {
    const first = sink()
    const firstErr = sink()
    const argv = [
      '--listen',
      '0',
      '--primary',
      primary.url,
      '--candidate',
      candidate.url,
      '--secondary',
      secondary.url,
      '--max-requests',
      '2',
      '--out',
      out,
    ]
    const run1 = shadowMain(argv, { signal: new AbortController().signal, stdout: first, stderr: firstErr })
    const url1 = await listeningUrl(firstErr)
    await inBatches(2, 2, async (i) => (await request(`${url1}/items/${i}`)).body.dump())
    expect(await run1).toBe(1)
    const id = /pf-[0-9a-f]{10}/.exec(first.text())?.[0] ?? 'none'
    const tracker = join(out, 'tracker.md')
    writeFileSync(tracker, trackerDoc([`| ${id} | shadow | id became a string | open | - | 2026-12-05 | |`]))
    const stdout = sink()
    const stderr = sink()
    const run2 = shadowMain([...argv, '--tracker', tracker], { signal: new AbortController().signal, stdout, stderr })
    const url2 = await listeningUrl(stderr)
    await inBatches(2, 2, async (i) => (await request(`${url2}/items/${i}`)).body.dump())
    expect(await run2).toBe(0)
    expect(stdout.text()).toContain('(0 new, 1 known)')
    const dir = /live page (\S+)\/live\.html/.exec(stderr.text())?.[1] ?? ''
    expect(
      JSON.parse(readFileSync(join(dir.startsWith('/') ? dir : join(process.cwd(), dir), 'report.json'), 'utf8')).findings[0].trackerIds,
    ).toEqual([id])
  })

  it.each([
    [
      ['--listen', '0.0.0.0:8080', '--primary', 'http://127.0.0.1:1', '--candidate', 'http://127.0.0.1:1'],
      '--listen must be 127.0.0.1:PORT',
    ],
    [['--listen', '0', '--candidate', 'http://127.0.0.1:1'], '--primary URL is required'],
    [['--listen', '0', '--primary', 'ftp://x', '--candidate', 'http://127.0.0.1:1'], '--primary must be an http(s) URL'],
    [
      ['--listen', '0', '--primary', 'http://a', '--candidate', 'http://b', '--header-candidate', 'no colon'],
      "--header-candidate must be 'Name: value'",
    ],
    [['--listen', '0', '--primary', 'http://a', '--candidate', 'http://b', '--queue', 'many'], '--queue'],
    [['--listen', '0', '--bogus'], "Unknown option '--bogus'"],
    [['--listen', '0', '--primary', 'http://a', '--candidate', 'http://b', '--tracker', '/nonexistent/t.md'], 'does not exist'],
  ])('refuses %j with one line and exit 2', async (argv, message) => {
    const stderr = sink()
    expect(await shadowMain(argv, { signal: new AbortController().signal, stdout: sink(), stderr })).toBe(2)
    expect(stderr.text()).toContain(message)
    expect(stderr.text().trim().split('\n')).toHaveLength(1)
  })

  it('refuses a candidate that does not answer before letting clients in', async () => {
    const gone = await startFixture('primary')
    const url = gone.url
    await gone.close()
    const stderr = sink()
    const code = await shadowMain(['--listen', '0', '--primary', primary.url, '--candidate', url], {
      signal: new AbortController().signal,
      stdout: sink(),
      stderr,
    })
    expect(code).toBe(2)
    expect(stderr.text()).toMatch(new RegExp(`^parity shadow: candidate ${url} does not answer: .+\\n$`))
  })
})
