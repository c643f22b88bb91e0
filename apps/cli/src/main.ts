#!/usr/bin/env bun
import { LAKEHOUSE_VERSION } from '@lakehouse/kit'
import { CORPUS_HELP, corpusCommand } from './commands/corpus.ts'
import { DOCTOR_HELP, doctorCommand } from './commands/doctor.ts'
import { GRANT_HELP, grantCommand } from './commands/grant.ts'
import { INGEST_HELP, ingestCommand } from './commands/ingest.ts'
import { PROVISION_HELP, provisionCommand } from './commands/provision.ts'
import { SERVE_HELP, serveCommand } from './commands/serve.ts'
import { SQL_HELP, sqlCommand } from './commands/sql.ts'
import { didYouMean, flagsIn, unknownOption } from './suggest.ts'

const USAGE = 'lakehouse <command> [options]   (lakehouse --help: every command; lakehouse --version)'

const HELP = `${USAGE}

commands:
  serve      run one runtime's server (node or bun)
  provision  create and check the state directory and secret key
  doctor     report the state directory's provisioning state; --verify-journal, collide: journal checks
  corpus     generate the deterministic staffing dataset (corpus generate) and index it on a
             running server (corpus index)
  ingest     upload a CSV to a running server as a dataset
  sql        run a read-only query on a running server
  grant      mint, list or revoke one-shot escape grants (needs a provisioned data dir)

Client commands (ingest, sql, corpus index) reach the server at --url, else $LAKEHOUSE_URL,
else http://127.0.0.1:8080. NO_COLOR=1 turns colour off (FORCE_COLOR=1 turns it on off a terminal).

${SERVE_HELP}

${PROVISION_HELP}

${DOCTOR_HELP}

${CORPUS_HELP}

${INGEST_HELP}

${SQL_HELP}

${GRANT_HELP}`

interface Command {
  readonly run: (args: readonly string[]) => Promise<number>
  /** Its usage: printed on a usage error, and the flags a mistyped one is compared with. */
  readonly help: string
}

const COMMANDS: Record<string, Command> = {
  serve: { run: serveCommand, help: SERVE_HELP },
  provision: { run: provisionCommand, help: PROVISION_HELP },
  doctor: { run: doctorCommand, help: DOCTOR_HELP },
  corpus: { run: corpusCommand, help: CORPUS_HELP },
  ingest: { run: ingestCommand, help: INGEST_HELP },
  sql: { run: sqlCommand, help: SQL_HELP },
  grant: { run: grantCommand, help: GRANT_HELP },
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${HELP}\n`)
    return command === undefined ? 2 : 0
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    process.stdout.write(`lakehouse ${LAKEHOUSE_VERSION}\n`)
    return 0
  }
  const found = COMMANDS[command]
  if (found === undefined) {
    const known = command.startsWith('-') ? ['--help', '--version'] : Object.keys(COMMANDS)
    const what = command.startsWith('-') ? 'option' : 'command'
    process.stderr.write(`lakehouse: unknown ${what} ${JSON.stringify(command)}${didYouMean(command, known)}\n\n${USAGE}\n`)
    return 2
  }
  try {
    return await found.run(args)
  } catch (err) {
    // parseArgs and config errors: a usage problem, never a stack trace.
    const typed = unknownOption(err)
    const hint = typed === undefined ? '' : didYouMean(typed, flagsIn(found.help))
    const usage = found.help.split('\n')[0] ?? ''
    process.stderr.write(`lakehouse ${command}: ${err instanceof Error ? err.message : String(err)}${hint}\n\nusage: ${usage}\n`)
    return 2
  }
}

process.exitCode = await main(process.argv.slice(2))
