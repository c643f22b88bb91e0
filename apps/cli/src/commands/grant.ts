import { parseArgs } from 'node:util'
import {
  createGrantAuthority,
  GRANTS_JOURNAL_STORE,
  type GrantAuthority,
  type GrantListing,
  isGrantScope,
  loadGrantKey,
  parseGrantTtl,
} from '@lakehouse/grants'
import { DATASET_REPLACE_ANY, replaceScope, SQL_WRITE_SCOPE } from '@lakehouse/grants/contract'
import { openJournal } from '@lakehouse/journal'
import { isProblem } from '@lakehouse/kit'
import { dataLayout, PROVISION_EXIT_CODE } from '@lakehouse/provision'
import { didYouMean } from '../suggest.ts'
import { parseDataDirArgs } from './data-dir.ts'

export const GRANT_HELP = `lakehouse grant mint --scope SCOPE --ttl DURATION [--data-dir DIR] [--json]
lakehouse grant list [--data-dir DIR] [--json]
lakehouse grant revoke ID [--data-dir DIR] [--json]

One-shot, HMAC-signed escape grants for operations refused by default (docs/grants.md).
SCOPE is ${replaceScope('<name>')}, ${DATASET_REPLACE_ANY} or ${SQL_WRITE_SCOPE}; DURATION is 500ms, 10m, 1h …
at most 7d. mint prints the token on stdout (id and expiry on stderr); send it as the
Lakehouse-Grant header. A grant works once. Signing needs <data dir>/secret.key, so run this
on the host that owns the data directory. Exit 0 ok, 1 refused (revoke of an unknown or
consumed grant), 2 usage, or a data directory that is not provisioned.`

const SUBCOMMANDS = ['mint', 'list', 'revoke'] as const
type Subcommand = (typeof SUBCOMMANDS)[number]

function isSubcommand(s: string): s is Subcommand {
  return (SUBCOMMANDS as readonly string[]).includes(s)
}

/** Prints a coded refusal from the authority; 4xx is the caller's to fix (1), anything else 2. */
function reportGrantProblem(sub: Subcommand, err: unknown): number {
  if (!isProblem(err)) throw err
  const lines = [`lakehouse grant ${sub}: ${err.title} (${err.code})`, `  error: ${err.detail.split(' — fix: ')[0]}`]
  const { path, fix } = err.extensions ?? {}
  if (typeof path === 'string') lines.push(`  path:  ${path}`)
  if (typeof fix === 'string') lines.push(`  fix:   ${fix}`)
  process.stderr.write(`${lines.join('\n')}\n`)
  // An unusable key means the data directory is not provisioned: the same exit as a failed provision.
  if (err.code === 'GRANT_KEY_UNAVAILABLE') return PROVISION_EXIT_CODE
  return err.code === 'GRANT_INVALID_SCOPE' || err.code === 'GRANT_INVALID_TTL' ? 2 : 1
}

function usage(sub: string, message: string): number {
  process.stderr.write(`lakehouse grant ${sub}: ${message}\n\n${GRANT_HELP}\n`)
  return 2
}

function printList(grants: readonly GrantListing[]): void {
  if (grants.length === 0) {
    process.stdout.write('no grants\n')
    return
  }
  const rows = [
    ['id', 'scope', 'status', 'issued_at', 'expires_at'],
    ...grants.map((g) => [g.id, g.scope, g.status, g.issued_at, g.expires_at]),
  ]
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  for (const row of rows)
    process.stdout.write(
      `${row
        .map((v, i) => v.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd()}\n`,
    )
}

export async function grantCommand(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`${GRANT_HELP}\n`)
    return sub === undefined ? 2 : 0
  }
  if (!isSubcommand(sub)) {
    process.stderr.write(`lakehouse grant: unknown subcommand ${JSON.stringify(sub)}${didYouMean(sub, SUBCOMMANDS)}\n\n${GRANT_HELP}\n`)
    return 2
  }
  const { values, positionals } = parseArgs({
    args: rest,
    strict: true,
    allowPositionals: sub === 'revoke',
    options: {
      scope: { type: 'string' },
      ttl: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help === true) {
    process.stdout.write(`${GRANT_HELP}\n`)
    return 0
  }
  if (sub !== 'mint' && (values.scope !== undefined || values.ttl !== undefined)) return usage(sub, '--scope and --ttl are for mint')
  // Resolve the data directory exactly as doctor and provision do (flag, env, XDG, home).
  const dataDir = parseDataDirArgs([...(values['data-dir'] === undefined ? [] : ['--data-dir', values['data-dir']])])
  const json = values.json === true

  try {
    // Usage is checked before the key is read, so a typo is reported as a typo.
    let ttlMs = 0
    if (sub === 'mint') {
      if (values.scope === undefined || values.ttl === undefined) return usage(sub, 'needs --scope and --ttl')
      if (!isGrantScope(values.scope)) return usage(sub, `unknown scope ${JSON.stringify(values.scope)}`)
      ttlMs = parseGrantTtl(values.ttl)
    }
    if (sub === 'revoke' && positionals.length !== 1) return usage(sub, 'needs exactly one grant id')
    const key = await loadGrantKey(dataDir.path)
    // The same audit trail the server writes (kinds grant.minted/consumed/revoked): the journal
    // store is shared, and its kernel lock lets the CLI append while a server is running.
    // Loaded here, not at the top: the CLI runs on Bun, but its tests import this module on Node.
    const { createBunFileLock } = await import('@lakehouse/lock-bun')
    const layout = dataLayout(dataDir.path)
    const journal = await openJournal({ dir: layout.journal(GRANTS_JOURNAL_STORE), lock: createBunFileLock() })
    const authority: GrantAuthority = createGrantAuthority({ dir: layout.grants, key, journal })
    try {
      return await runGrant(sub, authority, values.scope ?? '', ttlMs, positionals[0] ?? '', json)
    } finally {
      await journal.close()
    }
  } catch (err) {
    return reportGrantProblem(sub, err)
  }
}

async function runGrant(sub: string, authority: GrantAuthority, scope: string, ttlMs: number, id: string, json: boolean): Promise<number> {
  {
    if (sub === 'mint') {
      const minted = await authority.mint(scope, ttlMs)
      if (json) process.stdout.write(`${JSON.stringify(minted, null, 2)}\n`)
      else process.stdout.write(`${minted.token}\n`)
      process.stderr.write(`grant ${minted.id} for ${minted.scope}, single use, expires ${minted.expires_at}\n`)
      return 0
    }
    if (sub === 'list') {
      const grants = await authority.list()
      if (json) process.stdout.write(`${JSON.stringify({ grants }, null, 2)}\n`)
      else printList(grants)
      return 0
    }
    const revoked = await authority.revoke(id)
    if (json) process.stdout.write(`${JSON.stringify(revoked, null, 2)}\n`)
    else process.stdout.write(`revoked ${revoked.id} (${revoked.scope})\n`)
    return 0
  }
}
