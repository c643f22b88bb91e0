import { parseArgs } from 'node:util'
import { runDataPlaneBench } from './data-plane.ts'

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { rows: { type: 'string' }, repeats: { type: 'string' }, suite: { type: 'string' } },
})
const suite = values.suite ?? 'data-plane'
if (suite !== 'data-plane') {
  process.stderr.write(`bench: unknown suite ${suite} (available: data-plane)\n`)
  process.exit(2)
}
const rows = (values.rows ?? '100000,500000').split(',').map(Number)
const md = await runDataPlaneBench({ rows, repeats: Number(values.repeats ?? 30) })
process.stdout.write(md)
