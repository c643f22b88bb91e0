import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contractFromFlags } from '../../src/contract/contract-flags.ts'
import { ContractError } from '../../src/contract/load-contract.ts'
import type { RunReport } from '../../src/model.ts'
import { RunConfigError, runParity } from '../../src/run/runner.ts'
import { trackerTemplate } from '../../src/tracker/index.ts'
import { type ContractServer, startContractServer } from './contract-servers.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const CASES = fileURLToPath(new URL('./fixtures/cases', import.meta.url))
const DOC = fileURLToPath(new URL('./fixtures/openapi.yaml', import.meta.url))

const servers: ContractServer[] = []
let out: string
let report: RunReport
let without: RunReport

const runWith = async (contract: boolean, extra: Partial<Parameters<typeof runParity>[0]> = {}) =>
  runParity({
    targets: servers.map((s, i) => ({ name: i === 0 ? 'a' : 'b', url: s.url })),
    selection: { caseDir: CASES, root: ROOT },
    outDir: out,
    updateDocs: false,
    ...(contract ? { contract: await contractFromFlags(DOC) } : {}),
    ...extra,
  })
const run = async (contract: boolean) => (await runWith(contract)).report

beforeAll(async () => {
  servers.push(await startContractServer(), await startContractServer())
  out = mkdtempSync(join(tmpdir(), 'parity-contract-'))
  report = await run(true)
  without = await run(false)
})

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()))
  rmSync(out, { recursive: true, force: true })
})

const outcome = (r: RunReport, id: string) => r.cases.find((c) => c.id === id)?.outcome

describe('--contract with two servers that agree and both break the document', () => {
  it('the targets agree: without a contract the run is parity', () => {
    expect(without.divergences).toEqual([])
    expect(without.exitCode).toBe(0)
  })

  it('reports contract divergences per target, no pair divergences', () => {
    expect(report.divergences.every((d) => d.class === 'contract' && d.pair[0] === d.pair[1])).toBe(true)
    const seen = report.divergences.map((d) => `${d.pair[0]} ${d.caseId}/${d.step} ${d.path} ${d.shape}`)
    expect(seen.sort()).toEqual(
      [
        'a contract.missing/two $.name required→absent',
        'a contract.missing/three $.name required→absent',
        'a contract.type/counts $.total integer→string',
        'a contract.undocumented/secret status undocumented operation',
      ]
        .flatMap((line) => [line, line.replace(/^a /, 'b ')])
        .sort(),
    )
    expect(report.divergences.every((d) => d.risk === 'breaking')).toBe(true)
  })

  it('a conforming answer gives nothing, also through $ref’d responses', () => {
    expect(outcome(report, 'contract.good')).toBe('parity')
    expect(outcome(report, 'contract.missing')).toBe('divergent')
  })

  it('groups the same violation across steps into one finding per target, counted against the steps that target answered', () => {
    const missing = report.findings.filter((f) => f.path === '$.name')
    expect(missing.map((f) => f.pair.join('>')).sort()).toEqual(['a>a', 'b>b'])
    for (const f of missing) {
      expect(f.class).toBe('contract')
      expect(f.occurrences).toBe(2)
      // /things/1, /things/404, /things/2, /things/3: four answers at the endpoint.
      expect(f.endpoints).toEqual([{ endpoint: 'GET /things/{id}', occurrences: 2, comparisons: 4 }])
      expect(f.example.message).toMatch(/must have required property 'name'/)
    }
    expect(report.findings).toHaveLength(6)
    expect(report.summary.byClass.contract).toBe(8)
  })

  it('fails the run like any divergence, at every --fail-on level (contract findings are breaking)', async () => {
    expect(report.exitCode).toBe(1)
    expect((await runWith(true, { failOn: 'breaking' })).report.exitCode).toBe(1)
  })

  it('the tracker opens a row per target’s finding, and an open row makes it known', async () => {
    const tracker = join(out, 'tracker.md')
    writeFileSync(tracker, trackerTemplate())
    const selection = { caseDir: CASES, root: ROOT, cases: 'contract.type' }
    const first = await runWith(true, { selection, trackerPath: tracker, updateDocs: true })
    expect(first.report.exitCode).toBe(1)
    expect(first.tracker?.opened).toHaveLength(2)
    const doc = readFileSync(tracker, 'utf8')
    expect(doc).toMatch(/contract \$\.total integer→string/)
    writeFileSync(tracker, doc.replaceAll('| new |', '| open |'))
    const second = await runWith(true, { selection, trackerPath: tracker, updateDocs: false })
    expect(second.report.exitCode).toBe(0)
    expect(second.report.cases[0]?.outcome).toBe('known')
  })
})

describe('contractFromFlags', () => {
  it('is undefined without the flag', async () => {
    expect(await contractFromFlags(undefined)).toBeUndefined()
  })

  it('fetches a document from a URL, and names one that is not there', async () => {
    const { createServer } = await import('node:http')
    const text = readFileSync(DOC, 'utf8')
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/openapi.yaml' ? 200 : 404, { 'content-type': 'application/yaml' })
      res.end(req.url === '/openapi.yaml' ? text : '')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
      const checker = await contractFromFlags(`${base}/openapi.yaml`)
      expect(checker?.source).toBe(`${base}/openapi.yaml`)
      await expect(contractFromFlags(`${base}/nope.yaml`)).rejects.toThrow(/answered 404/)
    } finally {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it('names the document that cannot be used, in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parity-contract-bad-'))
    try {
      const { writeFileSync } = await import('node:fs')
      const write = (name: string, text: string) => {
        writeFileSync(join(dir, name), text)
        return join(dir, name)
      }
      await expect(contractFromFlags(join(dir, 'absent.json'))).rejects.toThrow(/cannot read the file \(ENOENT\)/)
      await expect(contractFromFlags(write('broken.json', '{"openapi": '))).rejects.toThrow(/not valid JSON/)
      await expect(contractFromFlags(write('broken.yaml', 'openapi: [3.1'))).rejects.toThrow(/not valid JSON or YAML/)
      await expect(contractFromFlags(write('swagger.yaml', 'swagger: "2.0"\npaths: {}\n'))).rejects.toThrow(/Swagger 2.0 is not supported/)
      await expect(contractFromFlags(write('other.json', '{"openapi":"3.1.0"}'))).rejects.toThrow(/no paths object/)
      await expect(contractFromFlags(write('list.yaml', '- a\n'))).rejects.toThrow(/not an OpenAPI document/)
      await expect(contractFromFlags('')).rejects.toThrow(/needs an OpenAPI document/)
      const e = await contractFromFlags(join(dir, 'absent.json')).catch((x: unknown) => x)
      expect(e).toBeInstanceOf(ContractError)
      expect(e).toBeInstanceOf(RunConfigError)
      expect((e as Error).message).not.toMatch(/\n/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
