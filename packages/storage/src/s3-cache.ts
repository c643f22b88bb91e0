import { createHash, randomUUID } from 'node:crypto'
import { readFile, rename, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { fsyncPath } from '@lakehouse/kit'
import { storageErrors } from './errors.ts'
import { renameInto, writeSmallFile } from './fs-durable.ts'
import type { ObjectBody, ObjectInfo } from './object-store.ts'
import { writeBodyToFile } from './write-body.ts'

export interface DownloadCache {
  /** A local file with the object's current bytes, downloaded only when the etag changed. */
  localPath(
    key: string,
    head: () => Promise<ObjectInfo | undefined>,
    fetch: () => Promise<ObjectBody | undefined>,
  ): Promise<string | undefined>
  forget(key: string): Promise<void>
}

interface Tag {
  readonly etag: string
  readonly size: number
}

async function readTag(path: string): Promise<Tag | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<Tag>
    return typeof parsed.etag === 'string' && typeof parsed.size === 'number' ? { etag: parsed.etag, size: parsed.size } : undefined
  } catch {
    return undefined
  }
}

/**
 * Download cache for engines that read files (DuckDB): `<dir>/<sha256(key)>` holds the bytes,
 * `<dir>/<sha256(key)>.etag` the etag and size they were downloaded at. Hashing the key keeps
 * file names flat and bounded whatever the key. A refresh writes a temp file, fsyncs it and
 * renames it over the old copy (readers holding the old file keep their inode), fsyncs the
 * directory, and only then records the new etag, so a recorded etag never names bytes that
 * could be lost in a crash. Concurrent calls for one key share one download.
 */
export function createDownloadCache(dir: string, tmpDir: string): DownloadCache {
  const pending = new Map<string, Promise<string | undefined>>()
  const fileFor = (key: string) => join(dir, createHash('sha256').update(key).digest('hex'))

  const forget = async (key: string) => {
    const file = fileFor(key)
    await unlink(`${file}.etag`).catch(() => undefined)
    await unlink(file).catch(() => undefined)
  }

  const refresh = async (key: string, head: () => Promise<ObjectInfo | undefined>, fetch: () => Promise<ObjectBody | undefined>) => {
    const info = await head()
    if (info === undefined) {
      await forget(key)
      return undefined
    }
    const file = fileFor(key)
    const tag = await readTag(`${file}.etag`)
    if (tag?.etag === info.etag && tag.size === info.size) {
      const st = await stat(file).catch(() => undefined)
      if (st?.size === info.size) return file
    }
    const object = await fetch()
    if (object === undefined) {
      await forget(key)
      return undefined
    }
    const tmp = join(tmpDir, randomUUID())
    try {
      const written = await writeBodyToFile(tmp, object.body, { hashes: [], sync: true })
      if (written.size !== object.info.size) {
        throw storageErrors.problem('STORAGE_BACKEND_UNAVAILABLE', {
          detail: `S3 download ended after ${written.size} of ${object.info.size} bytes`,
          headers: { 'retry-after': '5' },
        })
      }
      await renameInto(tmp, file, new Set())
      await fsyncPath(dir)
      await writeSmallFile(`${tmp}.etag`, JSON.stringify({ etag: object.info.etag, size: written.size }))
      await rename(`${tmp}.etag`, `${file}.etag`)
      return file
    } finally {
      await unlink(tmp).catch(() => undefined)
      await unlink(`${tmp}.etag`).catch(() => undefined)
    }
  }

  return {
    localPath(key, head, fetch) {
      const running = pending.get(key)
      if (running !== undefined) return running
      const p = refresh(key, head, fetch).finally(() => pending.delete(key))
      pending.set(key, p)
      return p
    },
    forget,
  }
}
