import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CorpusOptions, RecordedCorpus } from '../../src/traffic/corpus-writer.ts'
import type { Exchange } from '../../src/traffic/exchange.ts'
import { readExchangeLog } from '../../src/traffic/exchange-log.ts'
import { type RecordIo, recordMain } from '../../src/traffic/record-cli.ts'
import { deadUrl, type RecordFixture, startRecordFixture } from './record-fixture.ts'

let fixture: RecordFixture
let agent: Agent
let root: string
let dirs = 0

beforeAll(async () => {
  fixture = await startRecordFixture()
  agent = new Agent()
  root = mkdtempSync(join(tmpdir(), 'parity-record-cli-'))
})

afterAll(async () => {
  await agent?.close()
  await fixture?.close()
  if (root !== undefined) rmSync(root, { recursive: true, force: true })
})

const freshDir = () => join(root, `out-${++dirs}`)

function sink() {
  let text = ''
  return { write: (s: string) => (text += s), text: () => text }
}

/** A stand-in for writeRecordedCorpus that keeps what it was given. */
function fakeWriter() {
  const calls: { exchanges: readonly Exchange[]; options: CorpusOptions }[] = []
  const write = (exchanges: readonly Exchange[], options: CorpusOptions): RecordedCorpus => {
    calls.push({ exchanges, options })
    return {
      files: ['x.yaml'],
      file: join(options.outDir, 'recorded', 'recorded.yaml'),
      cases: exchanges.length,
      steps: exchanges.length,
      folded: 0,
      captures: 1,
      redactions: 2,
      skipped: [],
    }
  }
  return { calls, write }
}

async function get(url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<number> {
  const res = await request(url, {
    dispatcher: agent,
    method: (init.method ?? 'GET') as 'GET',
    ...(init.body === undefined ? {} : { body: init.body }),
    ...(init.headers === undefined ? {} : { headers: init.headers }),
  })
  await res.body.dump()
  return res.statusCode
}

/** Runs recordMain; `drive` gets the proxy URL, sends traffic, and may stop the recording. */
async function run(argv: string[], drive: (url: string, stop: () => void) => Promise<void>, io: Partial<RecordIo> = {}) {
  const stdout = sink()
  const stderr = sink()
  const abort = new AbortController()
  let driving: Promise<void> = Promise.resolve()
  const code = await recordMain(argv, {
    stdout,
    stderr,
    signal: abort.signal,
    handleSignals: false,
    onListening: (url) => {
      driving = drive(url, () => abort.abort())
    },
    ...io,
  })
  await driving
  return { code, stdout: stdout.text(), stderr: stderr.text() }
}

describe('recordMain', () => {
  it('records until stopped, then hands the exchanges in start order to the corpus writer', async () => {
    const out = freshDir()
    const writer = fakeWriter()
    const r = await run(
      [
        '--listen',
        '127.0.0.1:0',
        '--target',
        fixture.url,
        '--out',
        out,
        '--component',
        'blog',
        '--redact-header',
        'X-Api-Key',
        '--redact-json',
        '$.password',
        '--no-fold',
      ],
      async (url, stop) => {
        expect(await get(`${url}/json`)).toBe(200)
        expect(
          await get(`${url}/echo?n=1`, { method: 'POST', body: '{"password":"p"}', headers: { 'content-type': 'application/json' } }),
        ).toBe(201)
        await Promise.all(Array.from({ length: 5 }, (_, i) => get(`${url}/json?i=${i}`)))
        stop()
      },
      { writeCorpus: writer.write },
    )
    expect(r.stderr).not.toContain('parity record:')
    expect(r.code).toBe(0)
    expect(writer.calls).toHaveLength(1)
    const call = writer.calls[0] as (typeof writer.calls)[number]
    expect(call.exchanges).toHaveLength(7)
    expect(call.exchanges.slice(0, 2).map((e) => `${e.method} ${e.target}`)).toEqual(['GET /json', 'POST /echo?n=1'])
    const starts = call.exchanges.map((e) => e.startedAt)
    expect(starts).toEqual([...starts].sort())
    expect(call.options).toMatchObject({
      outDir: out,
      component: 'blog',
      redactHeaders: ['X-Api-Key'],
      redactJsonPaths: ['$.password'],
      fold: false,
      overwrite: false,
    })
    expect(r.stderr).toContain('GET /json → 200 ')
    expect(r.stdout).toMatch(/recording .* on http:\/\/127\.0\.0\.1:\d+ /)
    expect(r.stdout).toContain('recorded 7 exchanges')
    expect(r.stdout).toContain(`replay: pnpm parity --a ${fixture.url} --b URL --case-dir`)
    expect(readExchangeLog(join(out, 'exchanges.ndjson')).entries).toHaveLength(7)
  })

  it('stops by itself after --max-exchanges, quietly, and leaves over-cap bodies out of the corpus', async () => {
    const out = freshDir()
    const writer = fakeWriter()
    const r = await run(
      ['--target', fixture.url, '--out', out, '--max-exchanges', '2', '--quiet'],
      async (url) => {
        expect(await get(`${url}/json`)).toBe(200)
        expect(await get(`${url}/large`)).toBe(200)
      },
      { writeCorpus: writer.write, maxBodyBytes: 1024 },
    )
    expect(r.code).toBe(0)
    expect(r.stderr).not.toContain('→')
    expect(r.stdout).toContain('(stopped: max-exchanges)')
    expect(r.stdout).toContain('1 with a body over 1024 bytes left out of the corpus')
    expect(writer.calls[0]?.exchanges.map((e) => e.target)).toEqual(['/json'])
  })

  it('stops after --duration', async () => {
    const writer = fakeWriter()
    const r = await run(['--target', fixture.url, '--out', freshDir(), '--duration', '50ms'], async () => {}, { writeCorpus: writer.write })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('recorded 0 exchanges')
    expect(r.stdout).toContain('no corpus written')
    expect(writer.calls).toHaveLength(0)
  })

  it('exits 2 with the log kept when the corpus cannot be written', async () => {
    const out = freshDir()
    const r = await run(
      ['--target', fixture.url, '--out', out],
      async (url, stop) => {
        await get(`${url}/json`)
        stop()
      },
      {
        writeCorpus: () => {
          throw new Error('component "Bad" must be lower case')
        },
      },
    )
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^parity record: component "Bad" must be lower case \(the exchanges are kept in .*exchanges\.ndjson\)\n$/m)
    expect(readExchangeLog(join(out, 'exchanges.ndjson')).entries).toHaveLength(1)
  })

  it('writes a corpus with the real writer that names the replay', async () => {
    const out = freshDir()
    const r = await run(['--target', fixture.url, '--out', out, '--quiet'], async (url, stop) => {
      await get(`${url}/json`)
      stop()
    })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(existsSync(join(out, 'recorded', 'recorded.yaml'))).toBe(true)
    expect(readFileSync(join(out, 'recorded', 'recorded.yaml'), 'utf8')).toContain('/json')
    expect(r.stdout).toMatch(/corpus: .*recorded\.yaml — 1 case/)
  })

  it('--from-log rewrites a corpus from an earlier recording, folded or not, without a proxy', async () => {
    const out = freshDir()
    const first = await run(['--target', fixture.url, '--out', out, '--quiet'], async (url, stop) => {
      await get(`${url}/json`)
      await get(`${url}/json`)
      stop()
    })
    expect(first.code).toBe(0)
    const again = freshDir()
    const stdout = sink()
    const stderr = sink()
    const code = await recordMain(['--from-log', join(out, 'exchanges.ndjson'), '--out', again, '--no-fold'], {
      stdout,
      stderr,
      handleSignals: false,
    })
    expect({ code, stderr: stderr.text() }).toEqual({ code: 0, stderr: '' })
    expect(stdout.text()).toMatch(/log: .*exchanges\.ndjson — 2 exchanges/)
    expect(stdout.text()).toMatch(/corpus: .*recorded\.yaml — 2 cases/)
    expect(stdout.text()).toContain('replay: pnpm parity --a URL --b URL')
    const refused = sink()
    expect(
      await recordMain(['--from-log', join(out, 'exchanges.ndjson'), '--out', again], {
        stdout: sink(),
        stderr: refused,
        handleSignals: false,
      }),
    ).toBe(2)
    expect(refused.text()).toMatch(/--overwrite/)
    const listen = sink()
    expect(
      await recordMain(['--from-log', 'x', '--out', again, '--listen', '127.0.0.1:0'], {
        stdout: sink(),
        stderr: listen,
        handleSignals: false,
      }),
    ).toBe(2)
    expect(listen.text()).toMatch(/--listen records; --from-log only rewrites/)
    const missing = sink()
    expect(
      await recordMain(['--from-log', join(again, 'nope.ndjson'), '--out', again], {
        stdout: sink(),
        stderr: missing,
        handleSignals: false,
      }),
    ).toBe(2)
    expect(missing.text()).toMatch(/does not exist/)
  })

  describe('refuses with exit 2 and one line', () => {
    const refuse = async (argv: string[]) => {
      const stdout = sink()
      const stderr = sink()
      const code = await recordMain(argv, { stdout, stderr, handleSignals: false, writeCorpus: fakeWriter().write })
      expect(code).toBe(2)
      expect(stderr.text()).toMatch(/^parity record: /)
      expect(stderr.text()).not.toMatch(/\n\s+at /)
      return stderr.text().split('\n')[0] as string
    }
    it('a missing --target or --out', async () => {
      expect(await refuse(['--out', freshDir()])).toContain('--target URL is required')
      expect(await refuse(['--target', fixture.url])).toContain('--out DIR is required')
    })
    it('a listen host other than 127.0.0.1, or a malformed one', async () => {
      expect(await refuse(['--listen', '0.0.0.0:8080', '--target', fixture.url, '--out', freshDir()])).toContain('must be 127.0.0.1')
      expect(await refuse(['--listen', 'nonsense', '--target', fixture.url, '--out', freshDir()])).toContain('HOST:PORT')
    })
    it('bad numbers and durations, unknown flags', async () => {
      expect(await refuse(['--target', fixture.url, '--out', freshDir(), '--max-exchanges', '0'])).toContain('--max-exchanges')
      expect(await refuse(['--target', fixture.url, '--out', freshDir(), '--duration', 'soon'])).toContain('--duration')
      expect(await refuse(['--target', fixture.url, '--out', freshDir(), '--bogus'])).toContain('bogus')
    })
    it('a target that does not answer', async () => {
      const url = await deadUrl()
      expect(await refuse(['--target', url, '--out', freshDir()])).toContain(`target ${url} does not answer`)
    })
    it('an earlier recording, unless --overwrite', async () => {
      const out = freshDir()
      await run(['--target', fixture.url, '--out', out, '--duration', '1ms'], async () => {}, { writeCorpus: fakeWriter().write })
      expect(await refuse(['--target', fixture.url, '--out', out])).toContain('--overwrite')
      writeFileSync(join(out, 'exchanges.ndjson'), '')
      const again = await run(['--target', fixture.url, '--out', out, '--duration', '1ms', '--overwrite'], async () => {}, {
        writeCorpus: fakeWriter().write,
      })
      expect(again.code).toBe(0)
    })
  })
})
