import { createBunFileLock } from '@lakehouse/lock-bun'
import { inspectDataDir } from '@lakehouse/provision'
import { paint } from '../color.ts'
import { COLLIDE_HELP, collideCommand } from './collide.ts'
import { parseDataDirArgs } from './data-dir.ts'
import { verifyJournals } from './verify-journal.ts'

export const DOCTOR_HELP = `lakehouse doctor [--data-dir DIR] [--json]

Reports the provisioning state of the state directory without changing it (beyond a probe
file it writes and removes): the tree, writability, the secret key and its mode.
Exit 0 when every check passes, 1 otherwise.

lakehouse doctor --verify-journal [--data-dir DIR] [--json]

Checks every journal store under <data dir>/journal/*/ without touching it (a server may be
running): copies the store to a temp dir, replays it (counting torn tails and corrupt
records), rebuilds it by appending every record into a fresh journal, replays that and diffs
the two (kind + data, in order), and checks the newest checkpoint verifies and is not ahead
of the last seq. Exit 0 when no store is corrupt or differs (torn tails are reported, not
failures), 1 otherwise. See docs/journal.md.

${COLLIDE_HELP}`

export async function doctorCommand(args: readonly string[]): Promise<number> {
  if (args[0] === 'collide') return collideCommand(args.slice(1))
  const verifyJournal = args.includes('--verify-journal')
  const opts = parseDataDirArgs(args.filter((a) => a !== '--verify-journal'))
  if (opts.help) {
    process.stdout.write(`${DOCTOR_HELP}\n`)
    return 0
  }
  // The CLI runs on Bun (bin: src/main.ts), so Bun's flock opens the copies it replays.
  if (verifyJournal) return verifyJournals(opts.path, createBunFileLock(), opts.json)
  const report = await inspectDataDir(opts.path)
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ ...report, source: opts.source }, null, 2)}\n`)
  } else {
    const c = paint(process.stdout)
    process.stdout.write(`state directory ${opts.path} (from ${opts.source})\n`)
    for (const check of report.checks) {
      process.stdout.write(`  ${check.ok ? c.green('ok  ') : c.red('FAIL')} ${check.check}: ${check.detail}\n`)
      if (!check.ok && check.fix !== undefined) process.stdout.write(`       fix: ${check.fix}\n`)
    }
    process.stdout.write(
      report.ok ? `${c.green('all checks passed')}\n` : `${c.red('some checks failed')} (run \`pnpm lakehouse provision\` to repair)\n`,
    )
  }
  return report.ok ? 0 : 1
}
