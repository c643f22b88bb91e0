#!/usr/bin/env bun
import { CORPUS_HELP, corpusCommand } from './commands/corpus.ts'
import { DOCTOR_HELP, doctorCommand } from './commands/doctor.ts'
import { GRANT_HELP, grantCommand } from './commands/grant.ts'
import { INGEST_HELP, ingestCommand } from './commands/ingest.ts'
import { PROVISION_HELP, provisionCommand } from './commands/provision.ts'
import { SERVE_HELP, serveCommand } from './commands/serve.ts'
import { SQL_HELP, sqlCommand } from './commands/sql.ts'

const HELP = `lakehouse <command> [options]

commands:
  serve      run one runtime's server (node or bun)
  provision  create and check the state directory and secret key
  doctor     report the state directory's provisioning state; --verify-journal, collide: journal checks
  corpus     generate the deterministic staffing dataset (corpus generate)
  ingest     upload a CSV to a running server as a dataset
  sql        run a read-only query on a running server
  grant      mint, list or revoke one-shot escape grants (needs a provisioned data dir)

${SERVE_HELP}

${PROVISION_HELP}

${DOCTOR_HELP}

${CORPUS_HELP}

${INGEST_HELP}

${SQL_HELP}

${GRANT_HELP}`

const COMMANDS: Record<string, (args: readonly string[]) => Promise<number>> = {
  serve: serveCommand,
  provision: provisionCommand,
  doctor: doctorCommand,
  corpus: corpusCommand,
  ingest: ingestCommand,
  sql: sqlCommand,
  grant: grantCommand,
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${HELP}\n`)
    return command === undefined ? 2 : 0
  }
  const run = COMMANDS[command]
  if (run === undefined) {
    process.stderr.write(`lakehouse: unknown command ${JSON.stringify(command)}\n\n${HELP}\n`)
    return 2
  }
  try {
    return await run(args)
  } catch (err) {
    // parseArgs and config errors: a usage problem, never a stack trace.
    process.stderr.write(`lakehouse ${command}: ${err instanceof Error ? err.message : String(err)}\n`)
    return 2
  }
}

process.exitCode = await main(process.argv.slice(2))
