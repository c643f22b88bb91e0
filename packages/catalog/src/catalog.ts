import { createKeyedMutex, kitErrors, type Logger, type Problem, readBounded } from '@lakehouse/kit'
import type { ObjectStore } from '@lakehouse/storage'
import type { CatalogConfig } from './config.ts'
import { catalogErrors } from './errors.ts'
import { buildManifest, cloneManifest, decodeManifest, encodeManifest, manifestKey } from './manifest-codec.ts'
import { changedMembers, checkDerivedMembers, checkObject, replaceViaIngest } from './object-check.ts'
import { parseRegisterInput } from './register-input.ts'
import type { RehydrateResult } from './rehydrate.ts'
import type {
  Catalog,
  CatalogEvent,
  DatasetManifest,
  InspectObject,
  ObjectInspection,
  RegisterInput,
  RegisterOptions,
  RegisterResult,
} from './types.ts'

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
}

const byName = (a: DatasetManifest, b: DatasetManifest) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)

/**
 * The registry. Entries are frozen manifests that are never edited in place: a name gains an
 * entry once; on the system path (ingest) the same fingerprint with new rows replaces it
 * (row_count, updated_at) and a granted replace swaps the schema, anything else is refused,
 * which is what makes the idempotency contract hold. The public path (HTTP) only ever adds a
 * name whose object checks out (security issue 11). Every change is persisted first and swapped
 * into memory second (candidate-then-swap), under a per-name lock so concurrent registers of one
 * name are serial.
 */
export function createCatalog(parts: CatalogParts): CatalogCore {
  const { config, store, logger, now, inspectObject } = parts
  const entries = new Map<string, DatasetManifest>(parts.initial.manifests.map((m) => [m.name, m]))
  const listeners = new Set<{ readonly listener: (event: CatalogEvent) => void }>()
  const locks = createKeyedMutex()
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

  /** The swap: the only place memory changes, always after the manifest is in storage. */
  const swapIn = (manifest: DatasetManifest) => {
    entries.set(manifest.name, manifest)
    sorted = undefined
    emit(manifest)
  }

  /**
   * A name unknown in memory may still have a manifest in storage (skipped at start as
   * unreadable, or written by another catalog on the same store). Registering over it blind
   * would bypass the schema-conflict gate, so look first: a valid manifest is adopted; a
   * corrupt one is repaired by the register; a store that cannot answer is a retryable 503.
   */
  const adopt = async (name: string): Promise<DatasetManifest | undefined> => {
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
      const manifest = decodeManifest(bytes, name, config)
      swapIn(manifest)
      logger.info('catalog manifest adopted from storage', { name })
      return manifest
    } catch (err) {
      logger.warn('catalog manifest replaced', { key, reason: err instanceof Error ? err.message : 'corrupt', err })
      return undefined
    }
  }

  /** Candidate first: memory changes only after this resolves. */
  const persist = async (candidate: DatasetManifest) => {
    const bytes = encodeManifest(candidate)
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
      await store.put(manifestKey(candidate.name), bytes, { contentType: 'application/json', maxBytes: config.maxManifestBytes })
    } catch (cause) {
      throw persistFailed(`writing the manifest of ${candidate.name} to storage failed; the registry is unchanged`, cause)
    }
  }

  /** Runs `fn` under the name's lock with the name's current manifest (memory, else storage). */
  const withCurrent = async (
    name: string,
    fn: (current: DatasetManifest | undefined) => Promise<RegisterResult>,
  ): Promise<RegisterResult> => {
    if (closed) throw persistFailed('the catalog is closed')
    return locks.run(name, async () => {
      if (closed) throw persistFailed('the catalog is closed')
      return fn(entries.get(name) ?? (await adopt(name)))
    })
  }

  const create = async (input: RegisterInput): Promise<RegisterResult> => {
    const candidate = buildManifest(input, now())
    await persist(candidate)
    swapIn(candidate)
    return { status: 'created', manifest: cloneManifest(candidate) }
  }

  /**
   * The system path: ingest calls it after writing the object, under its own per-name lock, with
   * the schema it wrote and the row count its COPY reported. That is trusted rather than read back:
   * reading the object again would prove nothing ingest did not just compute, and would add a
   * second DuckDB read (on S3, through the download cache) to every ingest. The derived members
   * (fingerprint, key) are still checked: cheap, and they pin every manifest to an object only
   * ingest can have written.
   */
  const registerSystem = async (value: unknown, options: RegisterOptions = {}): Promise<RegisterResult> => {
    const input = parseRegisterInput(value, config)
    checkDerivedMembers(input)
    return withCurrent(input.name, async (current) => {
      if (current === undefined) return create(input)
      if (current.fingerprint === input.fingerprint) {
        // Same schema, same data: nothing changes (byte-identical). Same schema, new rows (a
        // re-ingest of another CSV overwrote the Parquet at the same key): the manifest must
        // follow, or row_count would describe data that no longer exists.
        if (current.row_count === input.row_count && current.object_key === input.object_key)
          return { status: 'existing', manifest: cloneManifest(current) }
        const refreshed = buildManifest(input, now(), current.created_at)
        await persist(refreshed)
        swapIn(refreshed)
        return { status: 'existing', manifest: cloneManifest(refreshed) }
      }
      if (options.replace === true) {
        // Identity (dataset_id, created_at) survives; schema, object and counts follow the new data.
        const replaced = buildManifest(input, now(), current.created_at)
        await persist(replaced)
        swapIn(replaced)
        return { status: 'replaced', manifest: cloneManifest(replaced), replaced_fingerprint: current.fingerprint }
      }
      throw catalogErrors.problem('CATALOG_SCHEMA_CONFLICT', {
        detail: `dataset ${input.name} is registered with fingerprint ${current.fingerprint}, not ${input.fingerprint}`,
        extensions: {
          name: input.name,
          dataset_id: current.dataset_id,
          existing_fingerprint: current.fingerprint,
          attempted_fingerprint: input.fingerprint,
        },
      })
    })
  }

  /**
   * The public path (`POST /v1/catalog/datasets`), security issue 11: a caller may re-send a
   * registered dataset's manifest (200, nothing written) or register an object ingest wrote but
   * the catalog lacks (a lost manifest), never repoint, refresh or replace a dataset: that would
   * bypass ingest's drift check and the grant, and serve any object under a trusted name.
   */
  const registerRequest = async (value: unknown): Promise<RegisterResult> => {
    const input = parseRegisterInput(value, config)
    return withCurrent(input.name, async (current) => {
      if (current !== undefined) {
        const changed = changedMembers(current, input)
        if (changed.length > 0) throw replaceViaIngest(current, changed)
        return { status: 'existing', manifest: cloneManifest(current) }
      }
      checkDerivedMembers(input)
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
      return create(input)
    })
  }

  return {
    register: registerSystem,
    registerUnknown: registerRequest,
    get(name) {
      const m = entries.get(name)
      return m === undefined ? undefined : cloneManifest(m)
    },
    list() {
      sorted ??= [...entries.values()].sort(byName)
      return sorted.map(cloneManifest)
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
