import type {
  Catalog,
  CatalogEvent,
  DatasetManifest,
  DatasetVersion,
  RegisterInput,
  RegisterOptions,
  RegisterResult,
  RestoreOptions,
  RestoreResult,
  StaleIndex,
} from '@lakehouse/catalog'
import type { Seam } from './seam-server.ts'
import type { UpstreamClient } from './upstream-client.ts'

/** Events kept for mirrors that fall behind; a mirror further back than this takes a fresh snapshot. */
const FEED_EVENTS = 1024

/** What a mirror keeps per dataset beside its manifest, for the catalog's synchronous reads. */
interface Extras {
  readonly versions: DatasetVersion[]
  readonly stale: StaleIndex[]
}
interface Snapshot {
  readonly seq: number
  readonly manifests: DatasetManifest[]
  readonly extras: Record<string, Extras>
}
interface Dated<T> {
  readonly result: T
  readonly extras: Extras
}
type Changes =
  | { readonly seq: number; readonly events: { event: CatalogEvent; extras: Extras }[] }
  | { readonly seq: number; readonly reset: true }

/**
 * The catalog as other processes see it: a numbered change feed over `onChange`, so a mirror
 * can ask "what happened after N" and apply it in order.
 */
export function exposeCatalog(catalog: Catalog): { seam: Seam; close(): void } {
  let seq = 0
  const feed: { seq: number; event: CatalogEvent }[] = []
  const off = catalog.onChange((event) => {
    seq++
    feed.push({ seq, event })
    if (feed.length > FEED_EVENTS) feed.shift()
  })
  const extrasOf = (name: string): Extras => ({ versions: catalog.versions(name) ?? [], stale: catalog.staleIndexes(name) })
  // Write leases of remote ingests (beginWrite), by id.
  const leases = new Map<string, () => void>()
  const seam = {
    snapshot: (): Snapshot => {
      const manifests = catalog.list()
      return { seq, manifests, extras: Object.fromEntries(manifests.map((m) => [m.name, extrasOf(m.name)])) }
    },
    changes: (after: number): Changes => {
      if (typeof after !== 'number' || after > seq) return { seq, reset: true }
      const first = feed[0]?.seq ?? seq + 1
      if (after < first - 1) return { seq, reset: true }
      return { seq, events: feed.filter((e) => e.seq > after).map((e) => ({ event: e.event, extras: extrasOf(e.event.manifest.name) })) }
    },
    register: async (input: RegisterInput, options?: RegisterOptions): Promise<Dated<RegisterResult>> => {
      const result = await catalog.register(input, options ?? {})
      return { result, extras: extrasOf(input.name) }
    },
    restore: async (name: string, version: number, options?: RestoreOptions): Promise<Dated<RestoreResult>> => {
      const result = await catalog.restore(name, version, options ?? {})
      return { result, extras: extrasOf(name) }
    },
    beginWrite: (name: string): string => {
      const id = crypto.randomUUID()
      leases.set(id, catalog.beginWrite(name))
      return id
    },
    endWrite: (id: string): boolean => {
      const release = leases.get(id)
      leases.delete(id)
      release?.()
      return release !== undefined
    },
  }
  return {
    seam,
    close: () => {
      off()
      for (const release of leases.values()) release()
      leases.clear()
    },
  }
}

export interface RemoteCatalog extends Catalog {
  /** Brings the mirror up to the catalog's present; listeners see every change in order. */
  sync(): Promise<void>
}

/**
 * The catalog of another process, kept as a local mirror so `get` and `list` stay synchronous
 * for query and the workers directory. `sync()` is called before every request a dependent
 * component serves (one small call), so a client that has just ingested through one process
 * sees the dataset in the next request to another — read-your-writes across processes.
 */
export async function createRemoteCatalog(client: UpstreamClient): Promise<RemoteCatalog> {
  const byName = new Map<string, DatasetManifest>()
  const extras = new Map<string, Extras>()
  const listeners = new Set<(event: CatalogEvent) => void>()
  let seq = 0
  const emit = (event: CatalogEvent) => {
    for (const l of listeners) l(event)
  }
  const load = async () => {
    const snap = (await client.call('catalog', 'snapshot', [])) as Snapshot
    const seen = new Set<string>()
    for (const [name, x] of Object.entries(snap.extras)) extras.set(name, x)
    for (const m of snap.manifests) {
      seen.add(m.name)
      const before = byName.get(m.name)
      byName.set(m.name, Object.freeze(m))
      if (before === undefined || JSON.stringify(before) !== JSON.stringify(m)) emit({ type: 'registered', manifest: m } as CatalogEvent)
    }
    for (const name of [...byName.keys()]) {
      if (!seen.has(name)) {
        byName.delete(name)
        extras.delete(name)
      }
    }
    seq = snap.seq
  }
  const apply = (event: CatalogEvent, x: Extras) => {
    byName.set(event.manifest.name, Object.freeze(event.manifest))
    extras.set(event.manifest.name, x)
    emit(event)
  }
  // One sync at a time: overlapping requests share it rather than applying events twice.
  let running: Promise<void> | undefined
  const sync = (): Promise<void> => {
    running ??= (async () => {
      try {
        const changes = (await client.call('catalog', 'changes', [seq])) as Changes
        if ('reset' in changes) await load()
        else {
          for (const e of changes.events) apply(e.event, e.extras)
          seq = changes.seq
        }
      } finally {
        running = undefined
      }
    })()
    return running
  }
  await load()
  const remote: RemoteCatalog = {
    sync,
    get: (name) => byName.get(name),
    list: () => [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    versions: (name) => (byName.has(name) ? (extras.get(name)?.versions ?? []) : undefined),
    staleIndexes: (name) => extras.get(name)?.stale ?? [],
    async register(input, options) {
      const dated = (await client.call('catalog', 'register', [input, options ?? {}])) as Dated<RegisterResult>
      await sync()
      extras.set(input.name, dated.extras)
      return dated.result
    },
    async restore(name, version, options) {
      const dated = (await client.call('catalog', 'restore', [name, version, options ?? {}])) as Dated<RestoreResult>
      await sync()
      extras.set(name, dated.extras)
      return dated.result
    },
    // Synchronous by contract, so the lease is taken without waiting: a restore that races the
    // first milliseconds of a remote ingest is not refused (docs/split-mode.md).
    beginWrite(name) {
      const lease = client.call('catalog', 'beginWrite', [name]).catch(() => undefined)
      return () => {
        void lease.then((id) => (typeof id === 'string' ? client.call('catalog', 'endWrite', [id]) : undefined)).catch(() => undefined)
      }
    },
  }
  return remote
}
