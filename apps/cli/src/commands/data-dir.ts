import { homedir } from 'node:os'
import { parseArgs } from 'node:util'
import { resolveDataDir } from '@lakehouse/provision'

export interface DataDirArgs {
  readonly path: string
  readonly source: string
  readonly json: boolean
  readonly help: boolean
}

/** `--data-dir`, `--json`, `--help`, resolved the same way the servers resolve them. */
export function parseDataDirArgs(args: readonly string[]): DataDirArgs {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  })
  const flag = values['data-dir']
  const resolved = resolveDataDir({ flag: flag === '' ? undefined : flag, env: process.env, homedir: homedir() })
  return { path: resolved.path, source: resolved.source, json: values.json === true, help: values.help === true }
}
