import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { CATALOG_MOUNT, type CatalogConfig, createCatalogService, type InspectObject } from '@lakehouse/catalog'
import { createDraftService, DRAFT_MOUNT, DRAFT_MOUNT_CHAT, type DraftConfig } from '@lakehouse/draft'
import { createEmbedService, EMBED_MOUNT, type EmbedConfig } from '@lakehouse/embed'
import { createGrantAuthority, createGrantsService, GRANTS_MOUNT, type GrantsConfig, loadGrantKey } from '@lakehouse/grants'
import { createIngestService, INGEST_MOUNT, type IngestConfig } from '@lakehouse/ingest'
import { type FileLock, type Journal, openJournal } from '@lakehouse/journal'
import type { Handler, Logger } from '@lakehouse/kit'
import { createMatrixService, MATRIX_MOUNT, type MatrixConfig } from '@lakehouse/matrix'
import { createMemoryService, MEMORY_MOUNT, type MemoryConfig } from '@lakehouse/memory'
import { createObserverService, OBSERVER_MOUNT, type ObserverConfig } from '@lakehouse/observer'
import { createProviderClient, type ProviderClient, type ProviderEndpoint } from '@lakehouse/providers'
import { createQueryService, QUERY_MOUNT, type QueryConfig } from '@lakehouse/query'
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
import { createWorkersDirectory } from './workers-directory.ts'

export type ObjectStoreChoice = { readonly kind: 'fs' } | ({ readonly kind: 's3' } & Omit<S3ObjectStoreOptions, 'cacheDir'>)

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
}

export interface Mounted {
  readonly name: string
  readonly mount: string
  readonly handler: Handler
  close(): Promise<void> | void
}

/** Where each component keeps its files inside the data directory (see provision's layout). */
export function dataLayout(dataDir: string) {
  return {
    objects: join(dataDir, 'objects'),
    datasets: join(dataDir, 'objects', 'datasets'),
    cache: join(dataDir, 'cache'),
    ingestTmp: join(dataDir, 'tmp', 'ingest'),
    vector: join(dataDir, 'vector'),
    /** One journal store per stateful component: `journal/<component>/`. */
    journal: (component: string) => join(dataDir, 'journal', component),
    grants: join(dataDir, 'grants'),
  }
}

function openStore(choice: ObjectStoreChoice, dataDir: string): Promise<ObjectStore> | ObjectStore {
  const layout = dataLayout(dataDir)
  if (choice.kind === 'fs') return createFsObjectStore({ root: layout.objects })
  const { kind: _kind, ...s3 } = choice
  return createS3ObjectStore({ ...s3, cacheDir: layout.cache })
}

export interface Components {
  /** In mount order; the gateway dispatches by the segment after /v1/. */
  readonly mounted: readonly Mounted[]
  /** Closes every component in reverse build order (the store last). */
  close(): Promise<void>
}

/**
 * Builds every component in dependency order — store → catalog (rehydrates manifests) →
 * query (views over the catalog) → ingest, storage API, validator. On a failure part-way,
 * what was built is closed before rethrowing.
 */
export async function composeComponents(options: ComponentOptions, deps: ComponentDeps): Promise<Components> {
  const layout = dataLayout(deps.dataDir)
  const mounted: Mounted[] = []
  const closers: (() => Promise<void> | void)[] = []
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
  const mount = (m: Mounted) => {
    mounted.push(m)
    closers.push(() => m.close())
  }
  const log = (component: string) => deps.logger.child({ component })
  const journalFor = async (component: string): Promise<Journal> => {
    const journal = await openJournal({ dir: layout.journal(component), lock: deps.lock, logger: log('journal') })
    closers.push(() => journal.close())
    return journal
  }
  try {
    const choice = options.objectStore ?? { kind: 'fs' }
    // Every component gets the watched store: a rewrite of a dataset's live object is news to the workers directory.
    const watched = watchObjectWrites(await openStore(choice, deps.dataDir))
    const { store } = watched
    closers.push(() => store.close())
    // The catalog checks a manifest it gets over HTTP against the object's real Parquet metadata,
    // read with ingest's DuckDB (the catalog has no Parquet reader). Ingest is built after the
    // catalog because it registers through it, so the catalog gets a forwarder, bound below
    // before composition ends and anything is served.
    let inspectObject: InspectObject | undefined
    const catalog = await createCatalogService(options.catalog ?? {}, {
      store,
      logger: log('catalog'),
      inspectObject: (key) => (inspectObject === undefined ? Promise.reject(new Error('ingest is not built yet')) : inspectObject(key)),
    })
    mount({ name: 'catalog', mount: CATALOG_MOUNT, handler: catalog.handler, close: () => catalog.close() })
    const query = await createQueryService(options.query ?? {}, {
      catalog,
      store,
      // Only the Parquet objects: the data directory also holds the secret key.
      allowedDirectories: [choice.kind === 'fs' ? layout.datasets : layout.cache],
      logger: log('query'),
    })
    mount({ name: 'query', mount: QUERY_MOUNT, handler: query.handler, close: () => query.close() })
    // Uploads in flight when the process died are garbage: nothing refers to them.
    await rm(layout.ingestTmp, { recursive: true, force: true })
    await mkdir(layout.ingestTmp, { recursive: true, mode: 0o700 })
    // Grants before ingest: a drifted schema is replaced only with a consumed `dataset.replace` grant.
    const authority = createGrantAuthority({
      dir: layout.grants,
      key: await loadGrantKey(deps.dataDir),
      journal: await journalFor('grants'),
      logger: log('grants'),
    })
    const grants = createGrantsService(options.grants ?? {}, { authority, logger: log('grants') })
    mount({ name: 'grants', mount: GRANTS_MOUNT, handler: grants.handler, close: () => grants.close() })
    const ingest = await createIngestService(options.ingest ?? {}, {
      store,
      catalog,
      tmpDir: layout.ingestTmp,
      logger: log('ingest'),
      grants: {
        verify: async (token, scope) => authority.verify(token, scope),
        consume: async (token, scope) => authority.consume(token, scope),
      },
    })
    mount({ name: 'ingest', mount: INGEST_MOUNT, handler: ingest.handler, close: () => ingest.close() })
    inspectObject = ingest.inspectObject
    const storage = createStorageService(options.storage ?? {}, { store, logger: log('storage') })
    mount({ name: 'storage', mount: STORAGE_MOUNT, handler: storage.handler, close: () => storage.close() })
    const workers = createWorkersDirectory(deps.config, {
      catalog,
      query,
      listed: deps.workers ?? createInMemoryWorkerLookup([]),
      onObjectWrite: watched.onWrite,
      logger: log('workers'),
    })
    closers.push(() => workers.close())
    const validator = createValidatorService(options.validator, { workers: workers.lookup })
    mount({ name: 'validator', mount: VALIDATOR_MOUNT, handler: validator.handler, close: () => validator.close() })

    const providers: Record<string, ProviderClient> = {}
    for (const endpoint of options.providers ?? []) {
      const client = createProviderClient(endpoint, { logger: log('providers') })
      providers[endpoint.kind] = client
      closers.push(() => client.close())
    }
    const embed = createEmbedService(options.embed ?? {}, { providers, logger: log('embed') })
    mount({ name: 'embed', mount: EMBED_MOUNT, handler: embed.handler, close: () => embed.close() })
    const vector = await createVectorService(options.vector ?? {}, { dir: layout.vector, embedder: embed, logger: log('vector') })
    mount({ name: 'vector', mount: VECTOR_MOUNT, handler: vector.handler, close: () => vector.close() })
    const matrix = await createMatrixService(options.matrix ?? {}, { indexes: vector, embedder: embed, logger: log('matrix') })
    mount({ name: 'matrix', mount: MATRIX_MOUNT, handler: matrix.handler, close: () => matrix.close() })
    const draft = createDraftService(options.draft ?? {}, {
      workers: workers.source,
      validator,
      providers,
      logger: log('draft'),
    })
    mount({ name: 'draft', mount: DRAFT_MOUNT, handler: draft.handler, close: () => draft.close() })
    // /v1/chat is the same service under its own segment; it is closed once, above.
    mounted.push({ name: 'draft', mount: DRAFT_MOUNT_CHAT, handler: draft.handler, close: () => undefined })
    const memory = await createMemoryService(options.memory ?? {}, { journal: await journalFor('memory'), logger: log('memory') })
    mount({ name: 'memory', mount: MEMORY_MOUNT, handler: memory.handler, close: () => memory.close() })
    // Last: its workflows call every other component through the gateway.
    const observer = await createObserverService(options.observer ?? {}, {
      journal: await journalFor('observer'),
      dispatch: deps.dispatch,
      logger: log('observer'),
    })
    mount({ name: 'observer', mount: OBSERVER_MOUNT, handler: observer.handler, close: () => observer.close() })
    return { mounted, close }
  } catch (err) {
    await close()
    throw err
  }
}
