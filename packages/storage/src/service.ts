import { createSlots, type Handler, type Logger, SILENT_LOGGER } from '@lakehouse/kit'
import { resolveStorageConfig, type StorageConfig } from './config.ts'
import type { ObjectStore } from './object-store.ts'
import { createStorageHandler } from './routes.ts'

export interface StorageDeps {
  /**
   * The backend. The service does not own it: the composition root shares one store with the
   * catalog, ingest and query and closes it last, after every component using it.
   */
  readonly store: ObjectStore
  readonly logger?: Logger
}

export interface StorageService {
  /** Serves `/v1/storage/objects[/{key}]` on their full paths. */
  readonly handler: Handler
  /** The store it was given; direct writers (catalog, ingest) bypass the HTTP-only reserved-prefix check. */
  readonly store: ObjectStore
  readonly config: Readonly<StorageConfig>
  /** Waits for in-flight PUTs. Leaves the store open for its owner to close. */
  close(): Promise<void>
}

export function createStorageService(config: Partial<StorageConfig> | undefined, deps: StorageDeps): StorageService {
  const resolved = resolveStorageConfig(config)
  const logger = deps.logger ?? SILENT_LOGGER
  const inflight = new Set<Promise<unknown>>()
  const track = <T>(work: Promise<T>): Promise<T> => {
    inflight.add(work)
    const forget = () => inflight.delete(work)
    work.then(forget, forget)
    return work
  }
  const handler = createStorageHandler({ store: deps.store, config: resolved, slots: createSlots(resolved.putSlots), track })
  logger.info('storage service ready', { component: 'storage', backend: deps.store.kind, config: resolved })
  let closing: Promise<void> | undefined
  return {
    handler,
    store: deps.store,
    config: resolved,
    close() {
      closing ??= Promise.allSettled([...inflight]).then(() => undefined)
      return closing
    },
  }
}
