import { isProblem } from '@lakehouse/kit'
import { datasetIdFor, isDatasetName } from './identity.ts'
import { checkDerivedMembers } from './object-check.ts'
import { type InputLimits, parseRegisterInput } from './register-input.ts'
import type { DatasetManifest, RegisterInput } from './types.ts'

/** Where manifests live in the object store: one JSON object per dataset. */
export const CATALOG_PREFIX = '_system/catalog/'
const MANIFEST_SUFFIX = '.json'

export function manifestKey(name: string): string {
  return CATALOG_PREFIX + name + MANIFEST_SUFFIX
}

/** `_system/catalog/<name>.json` → name; undefined for any key that cannot hold a manifest. */
export function nameFromKey(key: string): string | undefined {
  if (!key.startsWith(CATALOG_PREFIX) || !key.endsWith(MANIFEST_SUFFIX)) return undefined
  const name = key.slice(CATALOG_PREFIX.length, -MANIFEST_SUFFIX.length)
  return isDatasetName(name) ? name : undefined
}

/** A manifest built from checked input; frozen all the way down because the registry shares it. */
export function buildManifest(input: RegisterInput, at: Date, createdAt?: string): DatasetManifest {
  const stamp = at.toISOString()
  return freezeManifest({
    dataset_id: datasetIdFor(input.name),
    name: input.name,
    fingerprint: input.fingerprint,
    schema: input.schema,
    object_key: input.object_key,
    row_count: input.row_count,
    created_at: createdAt ?? stamp,
    updated_at: stamp,
  })
}

function freezeManifest(m: DatasetManifest): DatasetManifest {
  return Object.freeze({ ...m, schema: Object.freeze(m.schema.map((c) => Object.freeze({ name: c.name, type: c.type }))) })
}

/** A deep, mutable copy: what every read and every listener gets, so callers never alias the registry. */
export function cloneManifest(m: DatasetManifest): DatasetManifest {
  return { ...m, schema: m.schema.map((c) => ({ name: c.name, type: c.type })) }
}

/** Fixed member order and a trailing newline, so the stored object is stable and readable with `cat`. */
export function encodeManifest(m: DatasetManifest): Uint8Array {
  const ordered = {
    dataset_id: m.dataset_id,
    name: m.name,
    fingerprint: m.fingerprint,
    schema: m.schema.map((c) => ({ name: c.name, type: c.type })),
    object_key: m.object_key,
    row_count: m.row_count,
    created_at: m.created_at,
    updated_at: m.updated_at,
  }
  return new TextEncoder().encode(`${JSON.stringify(ordered)}\n`)
}

const UTF8 = new TextDecoder('utf-8', { fatal: true })
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/

function isTimestamp(v: unknown): v is string {
  return typeof v === 'string' && ISO_UTC.test(v) && !Number.isNaN(Date.parse(v))
}

/**
 * Parses and checks a stored manifest against everything a fresh register would be checked
 * against (the object itself is not read), plus the derived fields: the name must match the key and the id must be the
 * UUIDv5 of the name. Throws an Error whose message says why it is unusable.
 */
export function decodeManifest(bytes: Uint8Array, expectedName: string, limits: InputLimits): DatasetManifest {
  let value: unknown
  try {
    value = JSON.parse(UTF8.decode(bytes))
  } catch (cause) {
    throw new Error('manifest is not UTF-8 JSON', { cause })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('manifest is not a JSON object')
  const { dataset_id, created_at, updated_at, ...rest } = value as Record<string, unknown>
  let input: RegisterInput
  try {
    input = parseRegisterInput(rest, limits)
  } catch (err) {
    const first = isProblem(err) ? err.errors?.[0]?.message : undefined
    throw new Error(`manifest is malformed: ${first ?? 'invalid members'}`, { cause: err })
  }
  if (input.name !== expectedName) throw new Error(`manifest names ${JSON.stringify(input.name)} but is stored under ${expectedName}`)
  try {
    // Security issue 11: a manifest from before the rule (e.g. repointed over HTTP at another
    // dataset's object) is not served; a re-ingest of the name writes a good one over it.
    checkDerivedMembers(input)
  } catch (err) {
    throw new Error(`manifest does not name its own object: ${err instanceof Error ? err.message : 'inconsistent members'}`, { cause: err })
  }
  if (dataset_id !== datasetIdFor(input.name)) throw new Error('manifest dataset_id is not UUIDv5 of its name')
  if (!isTimestamp(created_at) || !isTimestamp(updated_at)) throw new Error('manifest timestamps are not ISO-8601 UTC')
  return freezeManifest({ dataset_id, ...input, created_at, updated_at })
}
