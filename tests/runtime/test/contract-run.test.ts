import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bootedAuth, contractFromFlags, corpusAppArgs, findRepoRoot, runParity } from '@lakehouse/parity'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// Until @lakehouse/parity exports it, the flag's parser from its source.
import { CORPUS_TIMEOUTS, type RunningServer, startServer } from './servers.ts'

/**
 * Issue 16 part 4: `--contract` with Lakehouse's own document. Both runtimes run a slice of the
 * parity corpus with every answer checked against the OpenAPI document the Node app serves;
 * the runtimes must not only agree with each other but also with the document: no contract
 * divergence on either (openapi-contract.test.ts checks the whole corpus the same way by hand).
 */
const root = findRepoRoot()
const out = mkdtempSync(join(tmpdir(), 'lakehouse-contract-run-'))
const servers: RunningServer[] = []
const token = `contract-run-${crypto.randomUUID()}`
const auth = bootedAuth(token)
let docFile = ''

beforeAll(async () => {
  for (const runtime of ['node', 'bun'] as const) servers.push(await startServer(runtime, { args: corpusAppArgs(root), env: auth.env }))
  const res = await fetch(`${servers[0]?.url}/openapi.json`, { headers: auth.headers })
  expect(res.status).toBe(200)
  // Through a file, as `--contract FILE` reads it.
  docFile = join(out, 'openapi.json')
  writeFileSync(docFile, await res.text())
}, 60_000)

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()))
  rmSync(out, { recursive: true, force: true })
})

describe('--contract with Lakehouse’s own document', () => {
  it('the validator cases answer as documented on Node and on Bun', async () => {
    const contract = await contractFromFlags(docFile)
    const { report } = await runParity({
      targets: servers.map((s) => ({ name: s.runtime, url: s.url })),
      selection: { caseDir: join(root, 'parity/cases'), root, tags: ['validator'] },
      outDir: out,
      token,
      trackerPath: join(root, 'docs/ARCHITECTURE_COMPARISON.md'),
      updateDocs: false,
      timeouts: CORPUS_TIMEOUTS,
      ...(contract === undefined ? {} : { contract }),
    })
    const contractFindings = report.divergences
      .filter((d) => d.class === 'contract')
      .map((d) => `${d.pair[0]} ${d.caseId}/${d.step}: ${d.message}`)
    expect(contractFindings).toEqual([])
    expect(report.cases.filter((c) => c.outcome === 'error').map((c) => `${c.id}: ${c.error}`)).toEqual([])
    expect(report.exitCode).toBe(0)
    // Both runtimes answered every step: the check saw real traffic, not an empty run.
    const answers = report.cases.flatMap((c) =>
      c.steps.map((s) => Object.keys(s.responses).filter((n) => n === 'node' || n === 'bun').length),
    )
    expect(answers.reduce((a, b) => a + b, 0)).toBeGreaterThan(40)
  }, 300_000)
})
