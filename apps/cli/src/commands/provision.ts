import { isProblem } from '@lakehouse/kit'
import { formatProvisionFailure, PROVISION_EXIT_CODE, provision } from '@lakehouse/provision'
import { parseDataDirArgs } from './data-dir.ts'

export const PROVISION_HELP = `lakehouse provision [--data-dir DIR] [--json]

Creates the state directory tree and the secret key (idempotent), proves the directory
writable, and repairs a key with loose permission bits. Exit 0 on success, 2 with the path
and the fix on failure. Directory: --data-dir, else LAKEHOUSE_DATA_DIR, else
$XDG_DATA_HOME/lakehouse, else ~/.local/share/lakehouse.`

export async function provisionCommand(args: readonly string[]): Promise<number> {
  const opts = parseDataDirArgs(args)
  if (opts.help) {
    process.stdout.write(`${PROVISION_HELP}\n`)
    return 0
  }
  try {
    const report = await provision(opts.path)
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ ...report, source: opts.source }, null, 2)}\n`)
    } else {
      process.stdout.write(`provisioned ${report.dir} (from ${opts.source})\n`)
      process.stdout.write(`  created: ${report.created.length === 0 ? 'nothing (already provisioned)' : report.created.join(', ')}\n`)
      process.stdout.write(`  writable: yes (probe written, fsynced, removed)\n`)
      const keyState = report.key.created ? 'created' : report.key.repaired ? 'repaired to 0600' : 'present'
      process.stdout.write(`  secret key: ${report.key.path} (${keyState}, mode ${report.key.mode})\n`)
    }
    return 0
  } catch (err) {
    process.stderr.write(`${isProblem(err) ? formatProvisionFailure(err) : String(err)}\n`)
    return PROVISION_EXIT_CODE
  }
}
