import { type Problem, type ProblemEntry, quoteCallerText } from '@lakehouse/kit'
import { catalogErrors } from './errors.ts'
import { fingerprintSchema } from './fingerprint.ts'
import type { ColumnSpec, DatasetManifest, ObjectInspection, RegisterInput } from './types.ts'

/**
 * What a manifest may point at (security issue 11: catalog writes are the system's, not the
 * caller's). Only ingest writes under `datasets/` (storage's HTTP API refuses the prefix), and it
 * writes a dataset's Parquet to keys derived from its name, fingerprint and content hash, so a
 * manifest whose members are consistent with each other can only name an object ingest wrote
 * with that schema. The object itself is then read (`checkObject`) for requests from outside.
 */

export const DATASET_OBJECTS_PREFIX = 'datasets/'

/**
 * The key of a dataset object: `datasets/<name>/<fingerprint>/<content_hash>.parquet`, one key
 * per content (issue 13: a same-schema re-ingest used to overwrite the live object in place, so
 * queries, the vector index and the manifest disagreed until it settled). Without a hash it is
 * the pre-versioning key `datasets/<name>/<fingerprint>.parquet`, still accepted for datasets
 * ingested before versions existed; ingest always passes the hash. Ingest imports it from here.
 */
export function datasetObjectKey(name: string, fingerprint: string, contentHash?: string): string {
  const base = `${DATASET_OBJECTS_PREFIX}${name}/${fingerprint}`
  return contentHash === undefined ? `${base}.parquet` : `${base}/${contentHash}.parquet`
}

const HEX64 = /^[0-9a-f]{64}$/

/** The content hash a versioned key names; undefined for a pre-versioning key or any other key. */
export function contentHashOfKey(name: string, fingerprint: string, key: string): string | undefined {
  const prefix = `${DATASET_OBJECTS_PREFIX}${name}/${fingerprint}/`
  if (!key.startsWith(prefix) || !key.endsWith('.parquet')) return undefined
  const hash = key.slice(prefix.length, -'.parquet'.length)
  return HEX64.test(hash) ? hash : undefined
}

const entry = (field: string, reason: string, message: string): ProblemEntry => ({ kind: 'consistency', field, reason, message })

// Keys run to 1,024 bytes; the usual 80 characters would cut a real one (89 for a short name) mid-fingerprint.
const quotedKey = (key: string) => quoteCallerText(key, 200)

/**
 * The members a register derives rather than chooses: the fingerprint must be the schema's, and
 * the key must be one ingest writes for that name and fingerprint (with `content_hash`, exactly
 * the key of that content). Pure and cheap, so it runs on every register, the system path
 * included. Returns the content hash the input carries or its key names (null for a
 * pre-versioning key).
 */
export function checkDerivedMembers(input: RegisterInput): string | null {
  const fingerprint = fingerprintSchema(input.schema)
  if (fingerprint !== input.fingerprint) {
    const message = `$.fingerprint is not the fingerprint of $.schema (fingerprintSchema gives ${fingerprint})`
    throw catalogErrors.problem('CATALOG_FINGERPRINT_MISMATCH', {
      detail: message,
      errors: [entry('$.fingerprint', 'fingerprint_mismatch', message)],
    })
  }
  const legacy = datasetObjectKey(input.name, input.fingerprint)
  const named = contentHashOfKey(input.name, input.fingerprint, input.object_key)
  const hash = input.content_hash ?? named
  const ok = input.content_hash === undefined ? input.object_key === legacy || named !== undefined : named === input.content_hash
  if (!ok) {
    const expected = datasetObjectKey(input.name, input.fingerprint, hash ?? '<content_hash>')
    const message = `$.object_key ${quotedKey(input.object_key)} is not ${expected}, the key ingest writes for dataset ${input.name} with this schema`
    throw catalogErrors.problem('CATALOG_OBJECT_KEY_MISMATCH', {
      detail: message,
      errors: [entry('$.object_key', 'object_key_mismatch', message)],
      extensions: { expected_object_key: expected },
    })
  }
  return hash ?? null
}

const sameSchema = (a: readonly ColumnSpec[], b: readonly ColumnSpec[]) =>
  a.length === b.length && a.every((c, i) => c.name === b[i]?.name && c.type === b[i]?.type)

/** The members of a register that would change `current`, in wire order; empty for the identical manifest. */
export function changedMembers(current: DatasetManifest, input: RegisterInput): string[] {
  const changed: string[] = []
  if (current.fingerprint !== input.fingerprint) changed.push('fingerprint')
  if (!sameSchema(current.schema, input.schema)) changed.push('schema')
  if (current.object_key !== input.object_key) changed.push('object_key')
  if (current.row_count !== input.row_count) changed.push('row_count')
  return changed
}

/** A request that would repoint or replace a registered dataset: that is ingest's job. */
export function replaceViaIngest(current: DatasetManifest, changed: readonly string[]): Problem {
  const { name } = current
  return catalogErrors.problem('CATALOG_REPLACE_VIA_INGEST', {
    detail: `dataset ${name} is registered; this request would change its ${changed.join(', ')}. A registered dataset changes only through ingest: POST /v1/ingest/${name} (or lakehouse ingest <file> --name ${name}), with a dataset.replace:${name} grant when the schema drifts`,
    extensions: { name, dataset_id: current.dataset_id, changed: [...changed], existing_fingerprint: current.fingerprint },
  })
}

// One entry per differing column would make a 4096-column mismatch a megabyte problem.
const MAX_ENTRIES = 16

/**
 * Compares a manifest with what its object really holds. Column names of the object are not
 * echoed (the caller may not be allowed to read it); positions, types and counts are.
 */
export function checkObject(input: RegisterInput, inspection: ObjectInspection): void {
  const key = quotedKey(input.object_key)
  if (inspection.status === 'missing') {
    throw catalogErrors.problem('CATALOG_OBJECT_MISSING', {
      detail: `no object exists at ${key}; a manifest may only name a Parquet object ingest wrote (POST /v1/ingest/${input.name})`,
      errors: [entry('$.object_key', 'object_missing', `$.object_key ${key} names no object`)],
    })
  }
  if (inspection.status === 'unreadable') {
    throw catalogErrors.problem('CATALOG_OBJECT_UNREADABLE', {
      detail: `the object at ${key} is not readable Parquet`,
      errors: [entry('$.object_key', 'object_unreadable', `$.object_key ${key} is not readable Parquet`)],
    })
  }
  const found: ProblemEntry[] = []
  const actual = inspection.schema
  if (actual.length !== input.schema.length) {
    found.push(entry('$.schema', 'column_count_mismatch', `$.schema lists ${input.schema.length} columns; the object has ${actual.length}`))
  }
  for (let i = 0; i < Math.min(actual.length, input.schema.length); i++) {
    const want = input.schema[i] as ColumnSpec
    const have = actual[i] as ColumnSpec
    if (want.name !== have.name) {
      found.push(
        entry(
          `$.schema[${i}].name`,
          'column_name_mismatch',
          `$.schema[${i}].name ${quoteCallerText(want.name)} is not the name of the object's column ${i}`,
        ),
      )
    }
    if (want.type !== have.type) {
      found.push(
        entry(
          `$.schema[${i}].type`,
          'column_type_mismatch',
          `$.schema[${i}].type is ${quoteCallerText(want.type)}; the object's column ${i} is ${quoteCallerText(have.type)}`,
        ),
      )
    }
  }
  if (inspection.row_count !== input.row_count) {
    found.push(
      entry('$.row_count', 'row_count_mismatch', `$.row_count is ${input.row_count}; the object holds ${inspection.row_count} rows`),
    )
  }
  const [first] = found
  if (first === undefined) return
  throw catalogErrors.problem('CATALOG_OBJECT_MISMATCH', {
    detail: `the manifest does not describe the object at ${key} (${found.length} ${found.length === 1 ? 'difference' : 'differences'}); first: ${first.message}`,
    errors: found.slice(0, MAX_ENTRIES),
  })
}
