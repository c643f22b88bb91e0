import { replaceScope } from '@lakehouse/grants/contract'
import { createKeyedMutex, kitErrors, type Logger, type Problem, quoteCallerText, readBounded } from '@lakehouse/kit'
import type { ObjectStore } from '@lakehouse/storage'
import type { CatalogConfig } from './config.ts'
import { catalogErrors } from './errors.ts'
import { isDatasetName } from './identity.ts'
import { buildVersion, cloneManifest, cloneVersion, decodeManifest, encodeRecord, manifestKey, manifestOf } from './manifest-codec.ts'
import { changedMembers, checkDerivedMembers, checkObject, replaceViaIngest } from './object-check.ts'
import { invalidNameProblem, registerInputParser } from './register-input.ts'
import type { RehydrateResult } from './rehydrate.ts'
import { schemaConflictProblem } from './schema-conflict.ts'
import type {
  Catalog,
  CatalogEvent,
  DatasetManifest,
  DatasetVersion,
  IndexSources,
  InspectObject,
  ObjectInspection,
  RegisterInput,
  RegisterOptions,
  RegisterResult,
  ReplaceAuthority,
  RestoreResult,
} from './types.ts'
import { appendVersion, type DatasetRecord, nextVersionId, staleIndexesOf, summaryOf } from './versions.ts'

export interface CatalogStats {
  /** Datasets in the registry now. */
  readonly datasets: number
  /** Manifests skipped at start because they were corrupt, unreadable or misplaced. */
  readonly skipped: number
}

export interface CatalogCore extends Catalog {
  /**
   * Register for untrusted input (an HTTP body). A registered name answers 200 for its identical
   * manifest and 409 CATALOG_REPLACE_VIA_INGEST for anything else; a new name is registered only
   * if its object exists at the key ingest writes and its Parquet metadata matches (422 otherwise).
   */
  registerUnknown(value: unknown): Promise<RegisterResult>
  stats(): CatalogStats
  close(): Promise<void>
}

export interface CatalogParts {
  readonly config: Readonly<CatalogConfig>
  readonly store: ObjectStore
  readonly logger: Logger
  readonly now: () => Date
  readonly initial: RehydrateResult
  readonly inspectObject: InspectObject
  /** Which dataset version each derived index was built from; none when not wired. */
  readonly indexSources?: IndexSources
  /** Escape grants, for a restore that changes the schema; without it such a restore is refused. */
  readonly grants?: ReplaceAuthority
}

const byName = (a: DatasetManifest, b: DatasetManifest) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)

/**
 * The registry. Entries (a frozen live manifest and its kept versions) are never edited in place:
 * a name gains an entry once; on the system path (ingest) other content becomes a new version,
 * live at once (another fingerprint only with a consumed grant); a restore makes a kept version
 * live again; anything else is refused, which is what makes the idempotency contract hold. The
 * public path (HTTP) only ever adds a name whose object checks out (security issue 11). Every
 * change is persisted first and swapped into memory second (candidate-then-swap), under a
 * per-name lock so concurrent changes of one name are serial.
 */
export function createCatalog(parts: CatalogParts): CatalogCore {
  const { config, store, logger, now, inspectObject, grants } = parts
  // The register body's schema depends on maxColumns: compiled here, once.
  const parseRegister = registerInputParser(config)
  const entries = new Map<string, DatasetRecord>(parts.initial.records.map((r) => [r.manifest.name, r]))
  const listeners = new Set<{ readonly listener: (event: CatalogEvent) => void }>()
  const locks = createKeyedMutex()
  /** Ingests running per name (`beginWrite`): a restore of a busy name is refused, not raced. */
  const writing = new Map<string, number>()
  let sorted: DatasetManifest[] | undefined
  let closed = false

  const persistFailed = (detail: string, cause?: unknown): Problem =>
    catalogErrors.problem('CATALOG_PERSIST_FAILED', { detail, cause, headers: { 'retry-after': String(config.retryAfterSeconds) } })

  const emit = (manifest: DatasetManifest) => {
    for (const entry of [...listeners]) {
      const fail = (err: unknown) => logger.error('catalog listener failed', { name: manifest.name, err })
      try {
        // Typed as returning void, but an async listener must not become an unhandled rejection.
        const result: unknown = entry.listener({ type: 'registered', manifest: cloneManifest(manifest) })
        if (result instanceof Promise) result.catch(fail)
      } catch (err) {
        fail(err)
      }
    }
  }

  /** The swap: the only place memory changes, always after the record is in storage. */
  const swapIn = (record: DatasetRecord) => {
    entries.set(record.manifest.name, record)
    sorted = undefined
    emit(record.manifest)
  }

  /**
   * A name unknown in memory may still have a manifest in storage (skipped at start as
   * unreadable, or written by another catalog on the same store). Registering over it blind
   * would bypass the schema-conflict gate, so look first: a valid manifest is adopted; a
   * corrupt one is repaired by the register; a store that cannot answer is a retryable 503.
   */
  const adopt = async (name: string): Promise<DatasetRecord | undefined> => {
    const key = manifestKey(name)
    let bytes: Uint8Array
    try {
      const object = await store.get(key)
      if (object === undefined) return undefined
      bytes = await readBounded(object.body, config.maxManifestBytes)
    } catch (cause) {
      if (!(cause instanceof RangeError)) throw persistFailed(`checking storage for an existing manifest of ${name} failed`, cause)
      logger.warn('catalog manifest replaced', { key, reason: cause.message })
      return undefined
    }
    try {
      const record = decodeManifest(bytes, name, config)
      swapIn(record)
      logger.info('catalog manifest adopted from storage', { name })
      return record
    } catch (err) {
      logger.warn('catalog manifest replaced', { key, reason: err instanceof Error ? err.message : 'corrupt', err })
      return undefined
    }
  }

  /** Candidate first: memory changes only after this resolves. */
  const persist = async (candidate: DatasetRecord) => {
    const bytes = encodeRecord(candidate)
    const { name } = candidate.manifest
    if (bytes.byteLength > config.maxManifestBytes) {
      const message = `the manifest would take ${bytes.byteLength} bytes; the limit is ${config.maxManifestBytes}`
      throw kitErrors.problem('HTTP_INVALID_REQUEST', {
        detail: message,
        errors: [{ kind: 'length', field: '$', reason: 'too_large', message }],
      })
    }
    try {
      // Durability: whatever store.put promises (fs: temp file, fsync, rename, directory fsync;
      // s3: acknowledged PUT). The answer is only sent after it resolves.
      await store.put(manifestKey(name), bytes, { contentType: 'application/json', maxBytes: config.maxManifestBytes })
    } catch (cause) {
      throw persistFailed(`writing the manifest of ${name} to storage failed; the registry is unchanged`, cause)
    }
  }

  /** Runs `fn` under the name's lock with the name's current record (memory, else storage). */
  const withCurrent = async <T>(name: string, fn: (current: DatasetRecord | undefined) => Promise<T>): Promise<T> => {
    if (closed) throw persistFailed('the catalog is closed')
    return locks.run(name, async () => {
      if (closed) throw persistFailed('the catalog is closed')
      return fn(entries.get(name) ?? (await adopt(name)))
    })
  }

  /** Objects of versions that left the history; a failure leaves an orphan object, never a broken dataset. */
  const removeObjects = async (name: string, keys: readonly string[]) => {
    for (const key of keys) {
      try {
        await store.delete(key)
        logger.info('dataset version object removed', { name, key })
      } catch (err) {
        logger.warn('dataset version object not removed', { name, key, err })
      }
    }
  }

  const create = async (input: RegisterInput, hash: string | null): Promise<RegisterResult> => {
    const at = now()
    const first = buildVersion(input, hash, 1, at)
    const record = { manifest: manifestOf(input.name, first, at.toISOString(), at.toISOString()), versions: [first] }
    await persist(record)
    swapIn(record)
    return { status: 'created', manifest: cloneManifest(record.manifest) }
  }

  /** Other content for a registered name: a new version, live at once; versions past the bound are dropped. */
  const addVersion = async (current: DatasetRecord, input: RegisterInput, hash: string | null): Promise<RegisterResult> => {
    const at = now()
    const added = buildVersion(input, hash, nextVersionId(current.versions), at)
    const { kept, orphaned } = appendVersion(current.versions, added, config.maxVersions)
    // Identity (dataset_id, created_at) survives; schema, object and counts follow the new data.
    const record = { manifest: manifestOf(input.name, added, current.manifest.created_at, at.toISOString()), versions: kept }
    await persist(record)
    swapIn(record)
    await removeObjects(input.name, orphaned)
    const previous = current.manifest
    return {
      status: 'replaced',
      manifest: cloneManifest(record.manifest),
      previous: summaryOf(previous),
      ...(previous.fingerprint === added.fingerprint ? {} : { replaced_fingerprint: previous.fingerprint }),
    }
  }

  /**
   * The system path: ingest calls it after writing the object, under its own per-name lock, with
   * the schema it wrote, the row count its COPY reported and the hash of the bytes. That is
   * trusted rather than read back: reading the object again would prove nothing ingest did not
   * just compute, and would add a second DuckDB read (on S3, through the download cache) to every
   * ingest. The derived members (fingerprint, key) are still checked: cheap, and they pin every
   * manifest to an object only ingest can have written.
   */
  const registerSystem = async (value: unknown, options: RegisterOptions = {}): Promise<RegisterResult> => {
    const input = parseRegister(value)
    const hash = checkDerivedMembers(input)
    return withCurrent(input.name, async (current) => {
      if (current === undefined) return create(input, hash)
      const live = current.manifest
      if (live.fingerprint === input.fingerprint) {
        // The live version already holds this content: nothing changes (byte-identical, no event).
        if (live.object_key === input.object_key && live.row_count === input.row_count && live.content_hash === hash)
          return { status: 'existing', manifest: cloneManifest(live) }
        return addVersion(current, input, hash)
      }
      if (options.replace === true) return addVersion(current, input, hash)
      throw schemaConflictProblem(live, input.fingerprint, 'replacing it')
    })
  }

  /**
   * The public path (`POST /v1/catalog/datasets`), security issue 11: a caller may re-send a
   * registered dataset's manifest (200, nothing written) or register an object ingest wrote but
   * the catalog lacks (a lost manifest), never repoint, refresh or replace a dataset: that would
   * bypass ingest's drift check and the grant, and serve any object under a trusted name.
   */
  const registerRequest = async (value: unknown): Promise<RegisterResult> => {
    const input = parseRegister(value)
    return withCurrent(input.name, async (current) => {
      if (current !== undefined) {
        const changed = changedMembers(current.manifest, input)
        if (changed.length > 0) throw replaceViaIngest(current.manifest, changed)
        return { status: 'existing', manifest: cloneManifest(current.manifest) }
      }
      const hash = checkDerivedMembers(input)
      let inspection: ObjectInspection
      try {
        // Under the name's lock, so an ingest of this name cannot slip in between look and register.
        inspection = await inspectObject(input.object_key)
      } catch (cause) {
        throw persistFailed(`reading the Parquet metadata of ${input.object_key} failed`, cause)
      }
      if (inspection.status === 'unreadable') {
        logger.warn('catalog register refused', { name: input.name, key: input.object_key, reason: inspection.reason })
      }
      checkObject(input, inspection)
      return create(input, hash)
    })
  }

  const busy = (name: string) =>
    catalogErrors.problem('CATALOG_DATASET_BUSY', {
      detail: `an ingest of dataset ${name} is running; retry the restore once it has answered`,
      headers: { 'retry-after': String(config.retryAfterSeconds) },
      extensions: { name },
    })

  /** Makes a kept version live again: one manifest write; the versions and their objects stay as they are. */
  const restore = async (name: string, id: number, options: { readonly grant?: string } = {}): Promise<RestoreResult> => {
    if (!isDatasetName(name)) throw invalidNameProblem(name)
    if ((writing.get(name) ?? 0) > 0) throw busy(name)
    return withCurrent(name, async (current) => {
      if (current === undefined) throw catalogErrors.problem('CATALOG_NOT_FOUND', { detail: `no dataset named ${quoteCallerText(name)}` })
      if ((writing.get(name) ?? 0) > 0) throw busy(name)
      const live = current.manifest
      const target = current.versions.find((v) => v.version === id)
      if (target === undefined) {
        throw catalogErrors.problem('CATALOG_VERSION_NOT_FOUND', {
          detail: `dataset ${name} keeps no version ${id}; it keeps ${current.versions.map((v) => v.version).join(', ')}`,
          extensions: { name, version: id, versions: current.versions.map((v) => v.version) },
        })
      }
      if (target.version === live.version) return { status: 'existing', manifest: cloneManifest(live) }
      const drift = target.fingerprint !== live.fingerprint
      if (drift) {
        if (options.grant === undefined || grants === undefined)
          throw schemaConflictProblem(live, target.fingerprint, `restoring version ${id}`)
        // Refusals (expired, tampered, reused …) surface with the grant's own code; nothing is written.
        await grants.verify(options.grant, replaceScope(name))
      }
      let present: boolean
      try {
        present = (await store.head(target.object_key)) !== undefined
      } catch (cause) {
        throw persistFailed(`checking the object of version ${id} of ${name} failed`, cause)
      }
      if (!present) {
        throw catalogErrors.problem('CATALOG_VERSION_UNAVAILABLE', {
          detail: `the object of version ${id} of dataset ${name} is no longer in storage; the live version is unchanged`,
          extensions: { name, version: id },
        })
      }
      // Consumed only now, when nothing but the write is left: a refused restore does not burn it.
      if (drift && grants !== undefined && options.grant !== undefined) await grants.consume(options.grant, replaceScope(name))
      const record = { manifest: manifestOf(name, target, live.created_at, now().toISOString()), versions: current.versions }
      await persist(record)
      swapIn(record)
      logger.info('dataset version restored', { name, version: id, previous: live.version })
      return {
        status: 'restored',
        manifest: cloneManifest(record.manifest),
        previous: summaryOf(live),
        ...(drift ? { replaced_fingerprint: live.fingerprint } : {}),
      }
    })
  }

  const staleIndexes = (name: string) => {
    const record = entries.get(name)
    if (record === undefined || parts.indexSources === undefined) return []
    try {
      return staleIndexesOf(record, parts.indexSources())
    } catch (err) {
      // A report, not a gate: an index service that cannot answer must not fail an ingest.
      logger.warn('index sources unavailable', { name, err })
      return []
    }
  }

  return {
    register: registerSystem,
    registerUnknown: registerRequest,
    restore,
    staleIndexes,
    get(name) {
      const r = entries.get(name)
      return r === undefined ? undefined : cloneManifest(r.manifest)
    },
    list() {
      sorted ??= [...entries.values()].map((r) => r.manifest).sort(byName)
      return sorted.map(cloneManifest)
    },
    versions(name) {
      const r = entries.get(name)
      return r === undefined ? undefined : [...r.versions].reverse().map(cloneVersion)
    },
    beginWrite(name) {
      writing.set(name, (writing.get(name) ?? 0) + 1)
      let done = false
      return () => {
        if (done) return
        done = true
        const left = (writing.get(name) ?? 1) - 1
        if (left > 0) writing.set(name, left)
        else writing.delete(name)
      }
    },
    onChange(listener) {
      const entry = { listener }
      listeners.add(entry)
      return () => {
        listeners.delete(entry)
      }
    },
    stats: () => ({ datasets: entries.size, skipped: parts.initial.skipped }),
    async close() {
      closed = true
      // Registers already holding or queued on a lock finish (they re-check `closed` and refuse
      // if they had not started); none is cut off between persist and swap.
      await locks.idle()
      listeners.clear()
    },
  }
}

/** A version as `GET …/versions` lists it: no schema (the fingerprint names it), a live flag. */
export function versionView(v: DatasetVersion, live: number) {
  return {
    version: v.version,
    content_hash: v.content_hash,
    fingerprint: v.fingerprint,
    row_count: v.row_count,
    object_key: v.object_key,
    created_at: v.created_at,
    live: v.version === live,
  }
}
