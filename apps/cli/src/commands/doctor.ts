import { inspectDataDir } from '@lakehouse/provision'
import { parseDataDirArgs } from './data-dir.ts'

export const DOCTOR_HELP = `lakehouse doctor [--data-dir DIR] [--json]

Reports the provisioning state of the state directory without changing it (beyond a probe
file it writes and removes): the tree, writability, the secret key and its mode.
Exit 0 when every check passes, 1 otherwise.`

export async function doctorCommand(args: readonly string[]): Promise<number> {
  const opts = parseDataDirArgs(args)
  if (opts.help) {
    process.stdout.write(`${DOCTOR_HELP}\n`)
    return 0
  }
  const report = await inspectDataDir(opts.path)
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ ...report, source: opts.source }, null, 2)}\n`)
  } else {
    process.stdout.write(`state directory ${opts.path} (from ${opts.source})\n`)
    for (const c of report.checks) {
      process.stdout.write(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.check}: ${c.detail}\n`)
      if (!c.ok && c.fix !== undefined) process.stdout.write(`       fix: ${c.fix}\n`)
    }
    process.stdout.write(report.ok ? 'all checks passed\n' : 'some checks failed (run `pnpm lakehouse provision` to repair)\n')
  }
  return report.ok ? 0 : 1
}
