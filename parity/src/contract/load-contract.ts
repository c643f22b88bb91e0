/**
 * Reading the OpenAPI document `--contract` names: a JSON or YAML file, or an http(s) URL
 * (a running service's own `/openapi.json`). Anything that is not an OpenAPI 3.x document is a
 * configuration error (exit 2) with one line saying why, before any case runs.
 */
import { readFile } from 'node:fs/promises'
import type { OpenApiDocument } from '@lakehouse/kit'
import { parse as parseYaml } from 'yaml'
import { RunConfigError } from '../run/runner.ts'

/** The contract cannot be used: a RunConfigError (its `name` too), so the CLI exits 2 with the message. */
export class ContractError extends RunConfigError {}

const FETCH_TIMEOUT_MS = 10_000

async function readSource(source: string): Promise<string> {
  if (/^https?:\/\//i.test(source)) {
    let res: Response
    try {
      res = await fetch(source, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
    } catch (e) {
      throw new ContractError(`--contract ${source}: cannot fetch: ${e instanceof Error ? e.message : String(e)}`)
    }
    if (!res.ok) throw new ContractError(`--contract ${source}: answered ${res.status}`)
    return await res.text()
  }
  try {
    return await readFile(source, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new ContractError(`--contract ${source}: cannot read the file${code === undefined ? '' : ` (${code})`}`)
  }
}

/** Parses and checks the shape of an OpenAPI 3.0/3.1 document; `source` names it in errors. */
export function parseContract(text: string, source: string): OpenApiDocument {
  let doc: unknown
  try {
    // YAML 1.2 is a superset of JSON: one parser reads both, with line numbers in its errors.
    doc = /\.json$/i.test(source) ? JSON.parse(text) : parseYaml(text)
  } catch (e) {
    const why = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e)
    throw new ContractError(`--contract ${source}: not valid ${/\.json$/i.test(source) ? 'JSON' : 'JSON or YAML'}: ${why}`)
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new ContractError(`--contract ${source}: not an OpenAPI document (not an object)`)
  const record = doc as Record<string, unknown>
  if (record.swagger !== undefined)
    throw new ContractError(`--contract ${source}: Swagger ${String(record.swagger)} is not supported; convert it to OpenAPI 3 first`)
  if (typeof record.openapi !== 'string' || !/^3\.[01]\./.test(record.openapi))
    throw new ContractError(`--contract ${source}: not an OpenAPI 3.0 or 3.1 document (openapi: ${JSON.stringify(record.openapi ?? null)})`)
  if (record.paths === null || typeof record.paths !== 'object' || Array.isArray(record.paths))
    throw new ContractError(`--contract ${source}: the document has no paths object`)
  return record as OpenApiDocument
}

export async function loadContract(source: string): Promise<OpenApiDocument> {
  return parseContract(await readSource(source), source)
}
