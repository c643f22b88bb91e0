import { type Catalog, catalogErrors, type DatasetManifest } from '@lakehouse/catalog'
import { createQueryWorkerSource, type WorkerProfile, type WorkerSource } from '@lakehouse/draft'
import { createLruCache, isProblem, type Logger, type LruCache, SILENT_LOGGER } from '@lakehouse/kit'
import type { QueryService } from '@lakehouse/query'
import { allWorkerIdsSql, createQueryWorkerLookup, WORKERS_DATASET, type WorkerLookup } from '@lakehouse/validator'
import type { GatewayConfig } from './config.ts'

// The dataset, its SQL and the uncached lookups are the workers-dataset contract's
// (@lakehouse/validator); the name is re-exported for the gateway's callers.
export { WORKERS_DATASET }

export type WorkersDirectoryConfig = Pick<GatewayConfig, 'workerProfileCacheSize' | 'workerMissCacheSize' | 'workerIdSetMaxRows'>

export interface WorkersDirectoryDeps {
  readonly catalog: Pick<Catalog, 'get' | 'onChange'>
  readonly query: Pick<QueryService, 'select'>
  /** Ids the operator listed with --worker-ids; they count whether or not the dataset has them. */
  readonly listed: WorkerLookup
  /** Store writes (`watchObjectWrites`): a rewrite of the live object under the same key is a new version. */
  readonly onObjectWrite: (listener: (key: string) => void) => () => void
  /**
   * Where profiles come from on a miss; default `createQueryWorkerSource` over this directory's
   * guarded query (a registered dataset that cannot be read is CATALOG_DATASET_UNREADABLE).
   */
  readonly source?: WorkerSource
  readonly logger?: Logger
}

export interface WorkersDirectoryStats {
  /** Bumped on every change of the dataset: a catalog event or a write of its live object. */
  readonly version: number
  readonly profiles: number
  readonly misses: number
  /** Worker ids held for `fill`, or null while they are not loaded (or over `workerIdSetMaxRows`). */
  readonly ids: number | null
}

export interface WorkersDirectory {
  /** For the validator's `fill`: listed ids, then the dataset's. */
  readonly lookup: WorkerLookup
  /** For the drafter: profiles by id. */
  readonly source: WorkerSource
  stats(): WorkersDirectoryStats
  /** Stops following the catalog and the store. */
  close(): void
}

/** Everything derived from one version of the dataset; replaced whole when the version changes. */
interface Version {
  readonly number: number
  /** undefined until the dataset is registered: then every answer is the uncached one. */
  readonly manifest: DatasetManifest | undefined
  /** One shared load per version; resolves to undefined when the ids are not to be held. */
  ids: Promise<ReadonlySet<string> | undefined> | undefined
  loadedIds: ReadonlySet<string> | undefined
  readonly profiles: LruCache<string, WorkerProfile> | undefined
  readonly misses: LruCache<string, true> | undefined
  /** Profile lookups in flight, so concurrent first uses of one id share one query. */
  readonly pending: Map<string, Promise<WorkerProfile | undefined>>
}

const IDS_SQL = allWorkerIdsSql()

const freezeProfile = (profile: WorkerProfile): WorkerProfile => {
  Object.freeze(profile.skills)
  Object.freeze(profile.certifications)
  return Object.freeze(profile)
}

/**
 * Worker lookups for the composed service, cached per version of the `workers` dataset.
 *
 * A version ends on a catalog event for the dataset (created, new rows, replaced schema) and
 * on any write of its live object (a re-ingest of other rows of the same count and schema
 * rewrites that object and changes nothing in the catalog, ADR-014). Everything derived from
 * the old version is dropped with it and rebuilt lazily; a load that was in flight finishes
 * for its own callers and lands in the dropped version, so it is never served again.
 *
 * `fill` holds the set of all worker ids, loaded with one query the first time a version needs
 * it. The drafter gets an LRU of profiles and an LRU of unknown ids in front of the query
 * source, so a hit and a miss answer exactly what the query source answered. Before the
 * dataset is registered nothing is cached and every call is the uncached one.
 */
export function createWorkersDirectory(config: WorkersDirectoryConfig, deps: WorkersDirectoryDeps): WorkersDirectory {
  const logger = deps.logger ?? SILENT_LOGGER
  let count = 0
  const fresh = (manifest: DatasetManifest | undefined): Version => ({
    number: count++,
    manifest,
    ids: undefined,
    loadedIds: undefined,
    profiles: config.workerProfileCacheSize > 0 ? createLruCache(config.workerProfileCacheSize) : undefined,
    misses: config.workerMissCacheSize > 0 ? createLruCache(config.workerMissCacheSize) : undefined,
    pending: new Map(),
  })

  let current: Version
  // Subscribe before reading, so a register in between is not missed (at worst one extra version).
  const offCatalog = deps.catalog.onChange((event) => {
    if (event.manifest.name === WORKERS_DATASET) current = fresh(event.manifest)
  })
  current = fresh(deps.catalog.get(WORKERS_DATASET))
  const offWrites = deps.onObjectWrite((key) => {
    if (key === current.manifest?.object_key) current = fresh(current.manifest)
  })

  /**
   * The directory's own SQL, run for `fill` and the drafter (security issue 11). The statements
   * are fixed, so a 4xx from the query service while the dataset is registered means the dataset
   * is broken (object missing or unreadable, no `worker_id` column), not that the caller erred:
   * the engine's message (our SQL, other view names) must not become another component's detail.
   * It becomes 503 CATALOG_DATASET_UNREADABLE with the engine's problem as its cause, logged once
   * at the edge. Before the dataset is registered the query source's own handling stands (no view
   * → unknown worker); 5xx (timeout, out of memory, closing) carry no SQL and pass through.
   */
  const select: WorkersDirectoryDeps['query']['select'] = async (sql, params) => {
    try {
      return await deps.query.select(sql, params)
    } catch (err) {
      if (!isProblem(err) || err.status >= 500 || current.manifest === undefined) throw err
      throw catalogErrors.problem('CATALOG_DATASET_UNREADABLE', {
        detail: `the ${WORKERS_DATASET} dataset is registered but cannot be read as worker records; re-ingest it (POST /v1/ingest/${WORKERS_DATASET})`,
        extensions: { dataset: WORKERS_DATASET },
        cause: err,
      })
    }
  }
  const inner = deps.source ?? createQueryWorkerSource({ select }, WORKERS_DATASET)
  // Per request, when the ids are not held.
  const uncachedLookup = createQueryWorkerLookup({ select }, WORKERS_DATASET)

  const loadIds = async (version: Version, manifest: DatasetManifest): Promise<ReadonlySet<string> | undefined> => {
    const rows = manifest.row_count
    if (rows > config.workerIdSetMaxRows) {
      logger.info('worker ids not held: the dataset is over gateway.workerIdSetMaxRows', { rows, max: config.workerIdSetMaxRows })
      return undefined
    }
    const started = performance.now()
    // One row holding a list: the ids do not count against the query service's maxRows.
    const result = await select(IDS_SQL)
    const ids = new Set<string>()
    const list = result.rows[0]?.[0]
    if (Array.isArray(list)) for (const id of list) if (typeof id === 'string') ids.add(id)
    version.loadedIds = ids
    logger.debug('worker ids loaded', { version: version.number, ids: ids.size, durMs: Math.round(performance.now() - started) })
    return ids
  }

  const idsOf = (version: Version, manifest: DatasetManifest): Promise<ReadonlySet<string> | undefined> => {
    if (version.ids !== undefined) return version.ids
    const loading = loadIds(version, manifest).catch((err: unknown) => {
      // Not remembered: the next request tries again (and meets the same problem if it persists).
      if (version.ids === loading) version.ids = undefined
      throw err
    })
    version.ids = loading
    return loading
  }

  const lookup: WorkerLookup = {
    async existing(ids) {
      const found = new Set(await deps.listed.existing(ids))
      const missing = ids.filter((id) => !found.has(id))
      const version = current
      const { manifest } = version
      if (missing.length === 0 || manifest === undefined) return found
      const known = await idsOf(version, manifest)
      if (known !== undefined) {
        for (const id of missing) if (known.has(id)) found.add(id)
        return found
      }
      for (const id of await uncachedLookup.existing(missing)) found.add(id)
      return found
    },
  }

  const source: WorkerSource = {
    get(workerId) {
      const version = current
      if (version.manifest === undefined) return inner.get(workerId)
      const hit = version.profiles?.get(workerId)
      if (hit !== undefined) return Promise.resolve(hit)
      if (version.misses?.get(workerId) === true) return Promise.resolve(undefined)
      const running = version.pending.get(workerId)
      if (running !== undefined) return running
      const loading = inner
        .get(workerId)
        .then((profile) => {
          if (profile === undefined) {
            version.misses?.set(workerId, true)
            return undefined
          }
          const frozen = freezeProfile(profile)
          version.profiles?.set(workerId, frozen)
          return frozen
        })
        .finally(() => version.pending.delete(workerId))
      version.pending.set(workerId, loading)
      return loading
    },
  }

  return {
    lookup,
    source,
    stats: () => ({
      version: current.number,
      profiles: current.profiles?.size ?? 0,
      misses: current.misses?.size ?? 0,
      ids: current.loadedIds?.size ?? null,
    }),
    close() {
      offCatalog()
      offWrites()
    },
  }
}
