import { isProblem } from '@lakehouse/kit'
import { datasetIdFor, isDatasetName } from './identity.ts'
import { checkDerivedMembers } from './object-check.ts'
import { type InputLimits, registerInputParser } from './register-input.ts'
import type { DatasetManifest, DatasetVersion, RegisterInput } from './types.ts'
import type { DatasetRecord } from './versions.ts'

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

/** A version built from checked input whose derived members were checked (`hash` from checkDerivedMembers). */
export function buildVersion(input: RegisterInput, hash: string | null, version: number, at: Date): DatasetVersion {
  return freezeVersion({
    version,
    content_hash: hash,
    fingerprint: input.fingerprint,
    schema: input.schema,
    object_key: input.object_key,
    row_count: input.row_count,
    created_at: at.toISOString(),
  })
}

/** The manifest that makes `live` the dataset's live version; frozen all the way down because the registry shares it. */
export function manifestOf(name: string, live: DatasetVersion, createdAt: string, updatedAt: string): DatasetManifest {
  return Object.freeze({
    dataset_id: datasetIdFor(name),
    name,
    fingerprint: live.fingerprint,
    schema: live.schema,
    object_key: live.object_key,
    row_count: live.row_count,
    created_at: createdAt,
    updated_at: updatedAt,
    version: live.version,
    content_hash: live.content_hash,
  })
}

function freezeVersion(v: DatasetVersion): DatasetVersion {
  return Object.freeze({ ...v, schema: Object.freeze(v.schema.map((c) => Object.freeze({ name: c.name, type: c.type }))) })
}

/** A deep, mutable copy: what every read and every listener gets, so callers never alias the registry. */
export function cloneManifest(m: DatasetManifest): DatasetManifest {
  return { ...m, schema: m.schema.map((c) => ({ name: c.name, type: c.type })) }
}

export function cloneVersion(v: DatasetVersion): DatasetVersion {
  return { ...v, schema: v.schema.map((c) => ({ name: c.name, type: c.type })) }
}

const versionJson = (v: DatasetVersion) => ({
  version: v.version,
  content_hash: v.content_hash,
  fingerprint: v.fingerprint,
  schema: v.schema.map((c) => ({ name: c.name, type: c.type })),
  object_key: v.object_key,
  row_count: v.row_count,
  created_at: v.created_at,
})

/**
 * Fixed member order and a trailing newline, so the stored object is stable and readable with
 * `cat`: the live manifest's members first (what a pre-versioning reader expects), then the kept
 * versions, oldest first. One object, so a new version and the switch to it are one atomic put.
 */
export function encodeRecord(record: DatasetRecord): Uint8Array {
  const m = record.manifest
  const ordered = {
    dataset_id: m.dataset_id,
    name: m.name,
    fingerprint: m.fingerprint,
    schema: m.schema.map((c) => ({ name: c.name, type: c.type })),
    object_key: m.object_key,
    row_count: m.row_count,
    created_at: m.created_at,
    updated_at: m.updated_at,
    version: m.version,
    content_hash: m.content_hash,
    versions: record.versions.map(versionJson),
  }
  return new TextEncoder().encode(`${JSON.stringify(ordered)}\n`)
}

const UTF8 = new TextDecoder('utf-8', { fatal: true })
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/

function isTimestamp(v: unknown): v is string {
  return typeof v === 'string' && ISO_UTC.test(v) && !Number.isNaN(Date.parse(v))
}

/** Checks one version's members like a fresh register would (the object is not read); throws with a reason. */
function decodeVersion(value: unknown, name: string, limits: InputLimits, at: string): DatasetVersion {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${at} is not a JSON object`)
  const { version, content_hash, created_at, ...rest } = value as Record<string, unknown>
  if (!Number.isSafeInteger(version) || (version as number) < 1) throw new Error(`${at}.version is not a positive integer`)
  if (content_hash !== null && typeof content_hash !== 'string') throw new Error(`${at}.content_hash is not a string or null`)
  if (!isTimestamp(created_at)) throw new Error(`${at}.created_at is not ISO-8601 UTC`)
  let input: RegisterInput
  try {
    input = registerInputParser(limits)({ ...rest, name, ...(content_hash === null ? {} : { content_hash }) })
  } catch (err) {
    const first = isProblem(err) ? err.errors?.[0]?.message : undefined
    throw new Error(`${at} is malformed: ${first ?? 'invalid members'}`, { cause: err })
  }
  let hash: string | null
  try {
    // Security issue 11: a manifest from before the rule (e.g. repointed over HTTP at another
    // dataset's object) is not served; a re-ingest of the name writes a good one over it.
    hash = checkDerivedMembers(input)
  } catch (err) {
    throw new Error(`${at} does not name its own object: ${err instanceof Error ? err.message : 'inconsistent members'}`, { cause: err })
  }
  return freezeVersion({
    version: version as number,
    content_hash: hash,
    fingerprint: input.fingerprint,
    schema: input.schema,
    object_key: input.object_key,
    row_count: input.row_count,
    created_at,
  })
}

const sameLive = (m: Record<string, unknown>, v: DatasetVersion) =>
  m.fingerprint === v.fingerprint && m.object_key === v.object_key && m.row_count === v.row_count

/**
 * Parses and checks a stored manifest against everything a fresh register would be checked
 * against (the object itself is not read), plus the derived fields: the name must match the key,
 * the id must be the UUIDv5 of the name, and the live version must be one of the kept versions
 * and agree with the top-level members. A manifest written before versions existed (no
 * `versions`) is one version, id 1. Throws an Error whose message says why it is unusable.
 */
export function decodeManifest(bytes: Uint8Array, expectedName: string, limits: InputLimits): DatasetRecord {
  let value: unknown
  try {
    value = JSON.parse(UTF8.decode(bytes))
  } catch (cause) {
    throw new Error('manifest is not UTF-8 JSON', { cause })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('manifest is not a JSON object')
  const { dataset_id, created_at, updated_at, version, content_hash, versions, ...top } = value as Record<string, unknown>
  if (top.name !== expectedName) throw new Error(`manifest names ${JSON.stringify(top.name)} but is stored under ${expectedName}`)
  if (dataset_id !== datasetIdFor(expectedName)) throw new Error('manifest dataset_id is not UUIDv5 of its name')
  if (!isTimestamp(created_at) || !isTimestamp(updated_at)) throw new Error('manifest timestamps are not ISO-8601 UTC')
  const { name: _name, ...members } = top
  let kept: DatasetVersion[]
  let liveId: number
  if (versions === undefined) {
    if (version !== undefined || content_hash !== undefined) throw new Error('manifest has a version but no versions')
    kept = [decodeVersion({ ...members, version: 1, content_hash: null, created_at: updated_at }, expectedName, limits, 'manifest')]
    liveId = 1
  } else {
    if (!Array.isArray(versions) || versions.length === 0) throw new Error('manifest versions is not a non-empty array')
    kept = versions.map((v: unknown, i) => decodeVersion(v, expectedName, limits, `manifest versions[${i}]`))
    if (new Set(kept.map((v) => v.version)).size !== kept.length) throw new Error('manifest versions repeat an id')
    if (!Number.isSafeInteger(version)) throw new Error('manifest version is not an integer')
    liveId = version as number
  }
  const live = kept.find((v) => v.version === liveId)
  if (live === undefined) throw new Error(`manifest version ${liveId} is not among its versions`)
  if (!sameLive(members, live) || (versions !== undefined && content_hash !== live.content_hash)) {
    throw new Error(`manifest members do not match its live version ${liveId}`)
  }
  // The top-level schema must be the live version's too (compared through the fingerprint rule above).
  decodeVersion(
    { ...members, version: liveId, content_hash: live.content_hash, created_at: live.created_at },
    expectedName,
    limits,
    'manifest',
  )
  kept.sort((a, b) => a.version - b.version)
  return { manifest: manifestOf(expectedName, live, created_at, updated_at), versions: kept }
}
