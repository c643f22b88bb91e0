import { parseArgs } from 'node:util'
import { runDataPlaneBench } from './data-plane.ts'
import { runJournalBench } from './journal.ts'
import { runRetrievalBench } from './retrieval.ts'

/** `pnpm bench [--suite data-plane|retrieval|journal|all]`; results under reports/bench/. */
const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    rows: { type: 'string' },
    repeats: { type: 'string' },
    searches: { type: 'string' },
    suite: { type: 'string' },
    'replay-mib': { type: 'string' },
  },
})
const suite = values.suite ?? 'all'
if (!['data-plane', 'retrieval', 'journal', 'all'].includes(suite)) {
  process.stderr.write(`bench: unknown suite ${suite} (available: data-plane, retrieval, journal, all)\n`)
  process.exit(2)
}
if (suite === 'data-plane' || suite === 'all') {
  const rows = (values.rows ?? '100000,500000').split(',').map(Number)
  process.stdout.write(await runDataPlaneBench({ rows, repeats: Number(values.repeats ?? 30) }))
}
if (suite === 'retrieval' || suite === 'all') {
  const rows = Number((values.rows ?? '100000').split(',')[0])
  process.stdout.write(await runRetrievalBench({ rows, searches: Number(values.searches ?? 500) }))
}
if (suite === 'journal' || suite === 'all') {
  process.stdout.write(await runJournalBench({ mib: Number(values['replay-mib'] ?? 100) }))
}
