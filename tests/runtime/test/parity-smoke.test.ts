import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { corpusAppArgs, findRepoRoot, runParity } from '@lakehouse/parity'
import { afterAll, describe, expect, it } from 'vitest'

const root = findRepoRoot()
const out = mkdtempSync(join(tmpdir(), 'lakehouse-parity-smoke-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

describe('parity smoke pass (DESIGN.md §9)', () => {
  it('runs the whole corpus on node vs bun with no new divergence and no case error', async () => {
    const { report } = await runParity({
      targets: [
        { name: 'node', runtime: 'node' },
        { name: 'bun', runtime: 'bun' },
      ],
      selection: { caseDir: join(root, 'parity/cases'), root },
      outDir: out,
      trackerPath: join(root, 'docs/ARCHITECTURE_COMPARISON.md'),
      updateDocs: false,
      appArgs: corpusAppArgs(root),
    })
    const problems = report.cases
      .filter((c) => c.outcome === 'divergent' || c.outcome === 'error')
      .map((c) => `${c.id}: ${c.outcome} ${c.error ?? ''}`)
    expect(problems).toEqual([])
    expect(report.summary.cases).toBeGreaterThanOrEqual(40)
    expect(report.exitCode).toBe(0)
  })
})
