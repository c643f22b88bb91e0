import { createHash, randomUUID } from 'node:crypto'
import type { BigIntStats } from 'node:fs'
import { type FileHandle, lstat, open, stat, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { createKeyedMutex, fsyncPath, type Logger, SILENT_LOGGER } from '@lakehouse/kit'
import { digestFile, fileReadStream } from './file-stream.ts'
import { errno, pruneEmptyDirs, renameInto, writeSmallFile } from './fs-durable.ts'
import { closedProblem, fsProblem, keyConflictProblem } from './fs-errors.ts'
import { walkKeys } from './fs-list.ts'
import { FS_META_DIR, FS_TMP_DIR, openFsRoot } from './fs-root.ts'
import { encodeSidecar, readSidecar, sidecarEtag } from './fs-sidecar.ts'
import { assertValidKey, assertValidPrefix } from './key-policy.ts'
import type { ListResult, ObjectBody, ObjectInfo, ObjectStore, PutOptions } from './object-store.ts'
import { writeBodyToFile } from './write-body.ts'

export interface FsObjectStoreOptions {
  /** Directory holding the objects (created if missing). One open store per root. */
  readonly root: string
  readonly logger?: Logger
}

const ABSENT = new Set(['ENOENT', 'ENOTDIR'])
const CONFLICT = new Set(['ENOTDIR', 'EEXIST', 'EISDIR', 'ENOTEMPTY'])
const noop = () => undefined
const LIST_BATCH = 32

interface Found {
  readonly st: BigIntStats
  /** Undefined when the sidecar is missing or describes another file. */
  readonly etag: string | undefined
}

function infoOf(key: string, st: BigIntStats, etag: string): ObjectInfo {
  return { key, size: Number(st.size), etag, modified: st.mtime.toISOString() }
}

/**
 * Filesystem backend: object bytes at `<root>/<key>`, etag sidecars at `<root>/.meta/<key>`,
 * temp files in `<root>/.tmp`. Durability of `put`: data fsynced, renamed over the target,
 * sidecar renamed next to it, then every touched directory fsynced — all before resolving.
 * `delete`: both entries unlinked and their directories fsynced before resolving.
 */
export function createFsObjectStore(options: FsObjectStoreOptions): ObjectStore {
  const logger = options.logger ?? SILENT_LOGGER
  const { root, tmpDir, metaRoot } = openFsRoot(options.root, logger)
  const skipAtRoot = new Set([FS_TMP_DIR, FS_META_DIR])
  const mutex = createKeyedMutex()
  const inflight = new Set<Promise<unknown>>()
  let closed = false

  const objectPath = (key: string) => join(root, key)
  const metaPath = (key: string) => join(metaRoot, key)

  const track = <T>(work: () => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(closedProblem())
    const p = work()
    inflight.add(p)
    p.then(
      () => inflight.delete(p),
      () => inflight.delete(p),
    )
    return p
  }

  /** stat + sidecar, no lock: the common path of head and list. */
  const lookup = async (key: string): Promise<Found | undefined> => {
    let st: BigIntStats
    try {
      st = await stat(objectPath(key), { bigint: true })
    } catch (err) {
      if (ABSENT.has(errno(err) ?? '')) return undefined
      throw err
    }
    if (!st.isFile()) return undefined
    return { st, etag: sidecarEtag(await readSidecar(metaPath(key)), st) }
  }

  /** open + fstat + sidecar: the handle pins the inode whose info we report. */
  const openFound = async (key: string): Promise<(Found & { fh: FileHandle }) | undefined> => {
    let fh: FileHandle
    try {
      fh = await open(objectPath(key), 'r')
    } catch (err) {
      if (ABSENT.has(errno(err) ?? '') || errno(err) === 'EISDIR') return undefined
      throw err
    }
    try {
      const st = await fh.stat({ bigint: true })
      if (!st.isFile()) {
        await fh.close()
        return undefined
      }
      return { fh, st, etag: sidecarEtag(await readSidecar(metaPath(key)), st) }
    } catch (err) {
      await fh.close().catch(noop)
      throw err
    }
  }

  /**
   * The sidecar is missing or stale (a crash between the two renames of a commit, or a file put
   * there by hand): hash the file once and rewrite the sidecar if the file is still the same one.
   * The rewrite is not fsynced: losing it only costs another recomputation.
   */
  const repair = async (key: string, fh: FileHandle, st: BigIntStats): Promise<string> => {
    const etag = await digestFile(fh, Number(st.size), createHash('sha256'))
    const tmp = join(tmpDir, `${randomUUID()}.meta`)
    try {
      await writeSmallFile(tmp, encodeSidecar(etag, st))
      await mutex.run(key, async () => {
        const now = await stat(objectPath(key), { bigint: true }).catch(() => undefined)
        if (now !== undefined && now.ino === st.ino && now.mtimeNs === st.mtimeNs && now.size === st.size) {
          await renameInto(tmp, metaPath(key), new Set())
        }
      })
    } catch (err) {
      logger.warn('could not rewrite an etag sidecar', { component: 'storage', code: errno(err) })
    } finally {
      await unlink(tmp).catch(noop)
    }
    return etag
  }

  const headOf = async (key: string): Promise<ObjectInfo | undefined> => {
    // A mismatch on the lock-free path is usually a commit between its two renames; under the
    // lock the pair is consistent, so a mismatch there is a genuinely stale sidecar.
    const found = await lookup(key)
    if (found === undefined) return undefined
    if (found.etag !== undefined) return infoOf(key, found.st, found.etag)
    const opened = await mutex.run(key, () => openFound(key))
    if (opened === undefined) return undefined
    try {
      return infoOf(key, opened.st, opened.etag ?? (await repair(key, opened.fh, opened.st)))
    } finally {
      await opened.fh.close().catch(noop)
    }
  }

  const put = async (key: string, body: ReadableStream<Uint8Array> | Uint8Array, opts: PutOptions): Promise<ObjectInfo> => {
    const tmp = join(tmpDir, randomUUID())
    const metaTmp = `${tmp}.meta`
    try {
      const written = await writeBodyToFile(tmp, body, { maxBytes: opts.maxBytes, hashes: ['sha256'], sync: true })
      const etag = written.digests.sha256 ?? ''
      const id = { size: BigInt(written.size), ino: written.ino, mtimeNs: written.mtimeNs }
      await writeSmallFile(metaTmp, encodeSidecar(etag, id))
      const dirty = new Set<string>()
      await mutex.run(key, async () => {
        try {
          await renameInto(tmp, objectPath(key), dirty)
        } catch (err) {
          throw CONFLICT.has(errno(err) ?? '') ? keyConflictProblem(key, err) : err
        }
        // The object is committed; a sidecar that cannot follow is recomputed on the next read.
        await renameInto(metaTmp, metaPath(key), dirty).catch(async (err: unknown) => {
          logger.warn('etag sidecar not written', { component: 'storage', code: errno(err) })
          await unlink(metaTmp).catch(noop)
        })
      })
      await Promise.all([...dirty].map(fsyncPath))
      return { key, size: written.size, etag, modified: written.mtime.toISOString() }
    } catch (err) {
      await Promise.all([unlink(tmp).catch(noop), unlink(metaTmp).catch(noop)])
      throw fsProblem('write', err)
    }
  }

  const remove = async (key: string): Promise<boolean> => {
    const path = objectPath(key)
    const existed = await mutex.run(key, async () => {
      const st = await lstat(path).catch(() => undefined)
      // The sidecar goes first: an object without one is repaired on read, while an orphan
      // sidecar file could block a later key that needs `.meta/<key>` as a directory.
      await unlink(metaPath(key)).catch(noop)
      if (st === undefined || !st.isFile()) return false
      await unlink(path)
      return true
    })
    if (existed) {
      await Promise.all([fsyncPath(dirname(path)), fsyncPath(dirname(metaPath(key)))])
      await pruneEmptyDirs(root, dirname(path))
      await pruneEmptyDirs(metaRoot, dirname(metaPath(key)))
    }
    return existed
  }

  return {
    kind: 'fs',
    put(key, body, opts = {}) {
      assertValidKey(key)
      return track(() => put(key, body, opts))
    },
    async get(key): Promise<ObjectBody | undefined> {
      assertValidKey(key)
      if (closed) throw closedProblem()
      try {
        let opened = await openFound(key)
        if (opened !== undefined && opened.etag === undefined) {
          await opened.fh.close()
          opened = await mutex.run(key, () => openFound(key))
        }
        if (opened === undefined) return undefined
        const { fh, st } = opened
        try {
          const etag = opened.etag ?? (await repair(key, fh, st))
          return { info: infoOf(key, st, etag), body: fileReadStream(fh, Number(st.size)) }
        } catch (err) {
          await fh.close().catch(noop)
          throw err
        }
      } catch (err) {
        throw fsProblem('read', err)
      }
    },
    async head(key) {
      assertValidKey(key)
      if (closed) throw closedProblem()
      return headOf(key).catch((err: unknown) => Promise.reject(fsProblem('stat', err)))
    },
    delete(key) {
      assertValidKey(key)
      return track(() => remove(key).catch((err: unknown) => Promise.reject(fsProblem('delete', err))))
    },
    async list(prefix, limit): Promise<ListResult> {
      assertValidPrefix(prefix)
      if (closed) throw closedProblem()
      try {
        // Key names first (readdir only, stopping at limit + 1), then their info in small
        // parallel batches: a 10,000-item page is 20,000 stat/read calls, mostly waiting.
        const keys: string[] = []
        for await (const key of walkKeys(root, prefix, skipAtRoot)) {
          keys.push(key)
          if (keys.length > limit) break
        }
        const items: ObjectInfo[] = []
        for (let i = 0; i < Math.min(limit, keys.length); i += LIST_BATCH) {
          const batch = await Promise.all(keys.slice(i, Math.min(i + LIST_BATCH, limit)).map(headOf))
          // A key deleted since readdir is simply left out.
          for (const info of batch) if (info !== undefined) items.push(info)
        }
        return { items, truncated: keys.length > limit }
      } catch (err) {
        throw fsProblem('list', err)
      }
    },
    async localPath(key) {
      assertValidKey(key)
      if (closed) throw closedProblem()
      const found = await lookup(key).catch((err: unknown) => Promise.reject(fsProblem('stat', err)))
      return found === undefined ? undefined : objectPath(key)
    },
    async close() {
      closed = true
      await Promise.allSettled([...inflight])
    },
  }
}
