import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import {
  CATALOG_MOUNT,
  type Catalog,
  type CatalogConfig,
  createCatalogService,
  type IndexSources,
  type InspectObject,
  type ReplaceAuthority,
} from '@lakehouse/catalog'
import { createDraftService, DRAFT_MOUNT, DRAFT_MOUNT_CHAT, type DraftConfig, type DraftValidator } from '@lakehouse/draft'
import { createEmbedService, EMBED_MOUNT, type EmbedConfig, type Embedder } from '@lakehouse/embed'
import {
  createGrantAuthority,
  createGrantsService,
  GRANTS_JOURNAL_STORE,
  GRANTS_MOUNT,
  type GrantsConfig,
  grantFromRequest,
  loadGrantKey,
} from '@lakehouse/grants'
import { createIngestService, INGEST_MOUNT, type IngestConfig } from '@lakehouse/ingest'
import { type FileLock, type Journal, openJournal } from '@lakehouse/journal'
import { type Handler, keepRoutes, type Logger } from '@lakehouse/kit'
import { createMatrixService, MATRIX_MOUNT, type MatrixConfig, type MatrixIndexes } from '@lakehouse/matrix'
import { createMemoryService, MEMORY_MOUNT, type MemoryConfig } from '@lakehouse/memory'
import { createObserverService, OBSERVER_MOUNT, type ObserverConfig } from '@lakehouse/observer'
import { createProviderClient, type ProviderClient, type ProviderEndpoint } from '@lakehouse/providers'
import { dataLayout } from '@lakehouse/provision'
import { createQueryService, QUERY_MOUNT, type QueryConfig, type QueryParams, type QueryResult } from '@lakehouse/query'
import {
  createFsObjectStore,
  createS3ObjectStore,
  createStorageService,
  type ObjectStore,
  type S3ObjectStoreOptions,
  STORAGE_MOUNT,
  type StorageConfig,
} from '@lakehouse/storage'
import {
  createInMemoryWorkerLookup,
  createValidatorService,
  VALIDATOR_MOUNT,
  type ValidatorConfig,
  type WorkerLookup,
} from '@lakehouse/validator'
import { createVectorService, VECTOR_MOUNT, type VectorConfig } from '@lakehouse/vector'
import type { GatewayConfig } from './config.ts'
import { watchObjectWrites } from './object-writes.ts'
import { createRemoteCatalog, exposeCatalog } from './split/catalog-seam.ts'
import {
  exposeEmbedder,
  exposeGrants,
  exposeInspect,
  exposeQuery,
  exposeValidator,
  exposeVectors,
  remoteEmbedder,
  remoteGrants,
  remoteIndexSources,
  remoteInspect,
  remoteSelect,
  remoteValidator,
  remoteVectors,
} from './split/component-seams.ts'
import { createSeamServer, type Seam } from './split/seam-server.ts'
import { ALL_IN_ONE, type ComponentName, type SplitConfig } from './split/split-config.ts'
import { createUpstreamClient, type UpstreamClient } from './split/upstream-client.ts'
import { whenUpstreamAnswers } from './split/upstream-wait.ts'
import { createWorkersDirectory } from './workers-directory.ts'

/** `root`: a directory the processes of a split deployment share instead of `<dataDir>/objects`. */
export type ObjectStoreChoice =
  | { readonly kind: 'fs'; readonly root?: string }
  | ({ readonly kind: 's3' } & Omit<S3ObjectStoreOptions, 'cacheDir'>)

export interface ComponentOptions {
  readonly objectStore?: ObjectStoreChoice
  readonly storage?: Partial<StorageConfig>
  readonly catalog?: Partial<CatalogConfig>
  readonly query?: Partial<QueryConfig>
  readonly ingest?: Partial<IngestConfig>
  readonly validator?: Partial<ValidatorConfig>
  readonly embed?: Partial<EmbedConfig>
  readonly vector?: Partial<VectorConfig>
  readonly matrix?: Partial<MatrixConfig>
  readonly draft?: Partial<DraftConfig>
  readonly memory?: Partial<MemoryConfig>
  readonly observer?: Partial<ObserverConfig>
  readonly grants?: Partial<GrantsConfig>
  /** Remote model servers for `ollama/…` and `openai/…` models (embeddings and chat). */
  readonly providers?: readonly ProviderEndpoint[]
}

export interface ComponentDeps {
  /** The resolved gateway config: its worker-lookup limits size the workers directory. */
  readonly config: Readonly<GatewayConfig>
  /** The provisioned state directory; each component gets its own subdirectory. */
  readonly dataDir: string
  readonly logger: Logger
  /** Extra worker ids accepted by `fill` validation besides the `workers` dataset. */
  readonly workers?: WorkerLookup
  /** The runtime's kernel lock for journal stores (fs-ext on Node, bun:ffi on Bun). */
  readonly lock: FileLock
  /** The composed gateway itself, for observer workflows (bound after composition). */
  readonly dispatch: Handler
  /** Which components run here and where the others are; all here when absent. */
  readonly split?: SplitConfig
}

export interface Mounted {
  readonly name: ComponentName
  readonly mount: string
  readonly handler: Handler
  /** Served by another process: the gateway hands the request id and client address on. */
  readonly upstream?: boolean
  close(): Promise<void> | void
}

function openStore(choice: ObjectStoreChoice, dataDir: string): Promise<ObjectStore> | ObjectStore {
  const layout = dataLayout(dataDir)
  if (choice.kind === 'fs') return createFsObjectStore({ root: choice.root ?? layout.objects })
  const { kind: _kind, ...s3 } = choice
  return createS3ObjectStore({ ...s3, cacheDir: layout.cache })
}

export interface Components {
  /** In mount order; the gateway dispatches by the segment after /v1/. Upstream components are mounted as forwarders. */
  readonly mounted: readonly Mounted[]
  /** `/internal/v1/…`: the local components' seams for the other processes of a split deployment. */
  readonly seams: Handler | undefined
  /** Closes every component in reverse build order (the store last). */
  close(): Promise<void>
}

/** Where each component is mounted; draft serves `/v1/chat` too. */
const MOUNTS: Readonly<Record<ComponentName, readonly string[]>> = {
  storage: [STORAGE_MOUNT],
  catalog: [CATALOG_MOUNT],
  query: [QUERY_MOUNT],
  grants: [GRANTS_MOUNT],
  ingest: [INGEST_MOUNT],
  validator: [VALIDATOR_MOUNT],
  embed: [EMBED_MOUNT],
  vector: [VECTOR_MOUNT],
  matrix: [MATRIX_MOUNT],
  draft: [DRAFT_MOUNT, DRAFT_MOUNT_CHAT],
  memory: [MEMORY_MOUNT],
  observer: [OBSERVER_MOUNT],
}

/** Components that keep objects: in a split deployment they must see one store (a shared directory or bucket). */
const STORE_USERS: readonly ComponentName[] = ['storage', 'catalog', 'query', 'ingest']

/**
 * Builds the components this process serves, in dependency order — store → catalog
 * (rehydrates manifests) → query (views over the catalog) → grants → ingest → storage API →
 * validator → embed → vector → matrix → draft → memory → observer. A dependency that runs in
 * another process (split mode, ADR-028) is its client over the same interface, and the
 * components that run elsewhere are mounted as forwarders to their upstream. On a failure
 * part-way, what was built is closed before rethrowing.
 */
export async function composeComponents(options: ComponentOptions, deps: ComponentDeps): Promise<Components> {
  const split = deps.split ?? ALL_IN_ONE
  const here = (name: ComponentName) => split.services.has(name)
  const layout = dataLayout(deps.dataDir)
  const mounted: Mounted[] = []
  const closers: (() => Promise<void> | void)[] = []
  const seams: Record<string, Seam> = {}
  const close = async () => {
    for (const c of closers.reverse()) {
      try {
        await c()
      } catch (err) {
        deps.logger.error('component close failed', { err })
      }
    }
    closers.length = 0
  }
  const mountAll = (name: ComponentName, handler: Handler, closeFn: () => Promise<void> | void, upstream = false) => {
    const [first, ...rest] = MOUNTS[name]
    mounted.push({ name, mount: first as string, handler, close: closeFn, upstream })
    closers.push(closeFn)
    // A second mount of the same service is closed once, above.
    for (const m of rest) mounted.push({ name, mount: m, handler, close: () => undefined, upstream })
  }
  const log = (component: string) => deps.logger.child({ component })
  const journalFor = async (component: string): Promise<Journal> => {
    const journal = await openJournal({ dir: layout.journal(component), lock: deps.lock, logger: log('journal') })
    closers.push(() => journal.close())
    return journal
  }
  const clients = new Map<ComponentName, UpstreamClient>()
  const upstream = (name: ComponentName): UpstreamClient => {
    const client = clients.get(name)
    if (client === undefined) throw new Error(`${name} is neither served here nor an upstream`)
    return client
  }
  // Local components that read remote state synchronously (a catalog mirror, vector index
  // sources) catch it up before each request; the list fills as remote dependencies are made.
  const refreshers: (() => Promise<void>)[] = []
  const refreshAll = async () => {
    for (const refresh of refreshers) await refresh()
  }
  // All-in-one, the list stays empty and a request pays one function call for it.
  const fresh = (handler: Handler): Handler =>
    keepRoutes((req: Request) => (refreshers.length === 0 ? handler(req) : refreshAll().then(() => handler(req))), handler)
  try {
    for (const [name, u] of split.upstreams) {
      const client = createUpstreamClient(u, { serviceToken: split.serviceToken ?? '' })
      clients.set(name, client)
      closers.push(() => client.close())
      mountAll(name, client.forward, () => undefined, true)
    }
    const startCall = <T>(name: ComponentName, call: () => Promise<T>) => whenUpstreamAnswers(name, call, deps.logger)
    const choice = options.objectStore ?? { kind: 'fs' }
    const objectsRoot = choice.kind === 'fs' ? (choice.root ?? layout.objects) : undefined
    // Every component gets the watched store: a rewrite of a dataset's live object is news to the workers directory.
    const watched = STORE_USERS.some(here) ? watchObjectWrites(await openStore(choice, deps.dataDir)) : undefined
    const store = watched?.store
    if (store !== undefined) closers.push(() => store.close())
    // The catalog checks a manifest it gets over HTTP against the object's real Parquet metadata,
    // read with ingest's DuckDB (the catalog has no Parquet reader). Ingest is built after the
    // catalog because it registers through it, so the catalog gets a forwarder, bound below
    // before composition ends and anything is served.
    let inspectObject: InspectObject | undefined = here('ingest')
      ? undefined
      : clients.has('ingest')
        ? remoteInspect(upstream('ingest'))
        : undefined
    const needsCatalog = here('query') || here('ingest') || here('validator') || here('draft')
    let catalog: Catalog | undefined
    // Issue 13: the catalog reports vector indexes built from a version that is no longer live, and
    // a restore to another schema needs a grant; vector and grants are built after it (the catalog
    // must not depend on either), so it gets forwarders, bound below.
    let indexSources: IndexSources | undefined
    let authority: ReplaceAuthority | undefined
    const noGrants = () => Promise.reject(new Error('grants are not available'))
    if (here('catalog') && store !== undefined) {
      const service = await createCatalogService(options.catalog ?? {}, {
        store,
        logger: log('catalog'),
        inspectObject: (key) => (inspectObject === undefined ? Promise.reject(new Error('ingest is not built yet')) : inspectObject(key)),
        indexSources: () => indexSources?.() ?? [],
        grants: {
          grantOf: grantFromRequest,
          verify: (token, scope) => authority?.verify(token, scope) ?? noGrants(),
          consume: (token, scope) => authority?.consume(token, scope) ?? noGrants(),
        },
      })
      if (!here('vector') && clients.has('vector')) {
        const remote = remoteIndexSources(upstream('vector'), log('catalog'))
        indexSources = remote.current
        refreshers.push(remote.refresh)
      }
      mountAll('catalog', fresh(service.handler), () => service.close())
      const exposed = exposeCatalog(service)
      closers.push(exposed.close)
      seams.catalog = exposed.seam
      catalog = service
    } else if (needsCatalog) {
      const remoteCatalog = await startCall('catalog', () => createRemoteCatalog(upstream('catalog')))
      refreshers.push(() => remoteCatalog.sync())
      catalog = remoteCatalog
    }
    let select: ((sql: string, params?: QueryParams) => Promise<QueryResult>) | undefined
    if (here('query') && store !== undefined && catalog !== undefined) {
      const query = await createQueryService(options.query ?? {}, {
        catalog,
        store,
        // Only the Parquet objects: the data directory also holds the secret key.
        allowedDirectories: [objectsRoot === undefined ? layout.cache : join(objectsRoot, 'datasets')],
        logger: log('query'),
      })
      mountAll('query', fresh(query.handler), () => query.close())
      seams.query = exposeQuery((sql, params) => query.select(sql, params))
      select = (sql, params) => query.select(sql, params)
    } else if (clients.has('query')) {
      select = remoteSelect(upstream('query'))
    }
    if (here('grants')) {
      // Grants before ingest: a drifted schema is replaced only with a consumed `dataset.replace` grant.
      const local = createGrantAuthority({
        dir: layout.grants,
        key: await loadGrantKey(deps.dataDir),
        journal: await journalFor(GRANTS_JOURNAL_STORE),
        logger: log('grants'),
      })
      const grants = createGrantsService(options.grants ?? {}, { authority: local, logger: log('grants') })
      mountAll('grants', grants.handler, () => grants.close())
      authority = {
        verify: async (token, scope) => local.verify(token, scope),
        consume: async (token, scope) => local.consume(token, scope),
      }
      seams.grants = exposeGrants(authority)
    } else if (clients.has('grants')) {
      authority = remoteGrants(upstream('grants'))
    }
    if (here('ingest') && store !== undefined && catalog !== undefined) {
      // Uploads in flight when the process died are garbage: nothing refers to them.
      await rm(layout.ingestTmp, { recursive: true, force: true })
      await mkdir(layout.ingestTmp, { recursive: true, mode: 0o700 })
      const ingest = await createIngestService(options.ingest ?? {}, {
        store,
        catalog,
        tmpDir: layout.ingestTmp,
        logger: log('ingest'),
        ...(authority === undefined ? {} : { grants: authority }),
      })
      mountAll('ingest', fresh(ingest.handler), () => ingest.close())
      inspectObject = ingest.inspectObject
      seams.ingest = exposeInspect(ingest.inspectObject)
    }
    if (here('storage') && store !== undefined) {
      const storage = createStorageService(options.storage ?? {}, { store, logger: log('storage') })
      mountAll('storage', storage.handler, () => storage.close())
    }
    let validate: DraftValidator | undefined
    const workers =
      (here('validator') || here('draft')) && catalog !== undefined && select !== undefined
        ? createWorkersDirectory(deps.config, {
            catalog,
            query: { select },
            listed: deps.workers ?? createInMemoryWorkerLookup([]),
            // Another process's writes are seen through the catalog's events instead.
            onObjectWrite: watched?.onWrite ?? (() => () => undefined),
            logger: log('workers'),
          })
        : undefined
    if (workers !== undefined) closers.push(() => workers.close())
    if (here('validator') && workers !== undefined) {
      const validator = createValidatorService(options.validator, { workers: workers.lookup })
      mountAll('validator', fresh(validator.handler), () => validator.close())
      validate = validator
      seams.validator = exposeValidator(validator)
    } else if (clients.has('validator')) {
      validate = remoteValidator(upstream('validator'))
    }

    const providers: Record<string, ProviderClient> = {}
    for (const endpoint of options.providers ?? []) {
      const client = createProviderClient(endpoint, { logger: log('providers') })
      providers[endpoint.kind] = client
      closers.push(() => client.close())
    }
    let embedder: Embedder | undefined
    if (here('embed')) {
      const embed = createEmbedService(options.embed ?? {}, { providers, logger: log('embed') })
      mountAll('embed', embed.handler, () => embed.close())
      embedder = embed
      seams.embed = exposeEmbedder(embed)
    } else if (here('vector') || here('matrix')) {
      embedder = await startCall('embed', () => remoteEmbedder(upstream('embed')))
    }
    let indexes: MatrixIndexes | undefined
    if (here('vector') && embedder !== undefined) {
      const vector = await createVectorService(options.vector ?? {}, { dir: layout.vector, embedder, logger: log('vector') })
      indexSources = () => vector.sources()
      mountAll('vector', vector.handler, () => vector.close())
      indexes = vector
      seams.vector = exposeVectors(vector)
    } else if (here('matrix')) {
      indexes = remoteVectors(upstream('vector'))
    }
    if (here('matrix') && indexes !== undefined && embedder !== undefined) {
      const matrix = await createMatrixService(options.matrix ?? {}, { indexes, embedder, logger: log('matrix') })
      mountAll('matrix', matrix.handler, () => matrix.close())
    }
    if (here('draft') && workers !== undefined && validate !== undefined) {
      const draft = createDraftService(options.draft ?? {}, {
        workers: workers.source,
        validator: validate,
        providers,
        logger: log('draft'),
      })
      mountAll('draft', fresh(draft.handler), () => draft.close())
    }
    if (here('memory')) {
      const memory = await createMemoryService(options.memory ?? {}, { journal: await journalFor('memory'), logger: log('memory') })
      mountAll('memory', memory.handler, () => memory.close())
    }
    if (here('observer')) {
      // Last: its workflows call every other component through the gateway (proxied when remote).
      const observer = await createObserverService(options.observer ?? {}, {
        journal: await journalFor('observer'),
        dispatch: deps.dispatch,
        logger: log('observer'),
      })
      mountAll('observer', observer.handler, () => observer.close())
    }
    const seamServer = split.serviceToken === undefined ? undefined : createSeamServer(seams, split.serviceToken)
    return { mounted, seams: seamServer, close }
  } catch (err) {
    await close()
    throw err
  }
}
