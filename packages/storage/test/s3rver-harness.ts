import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rename, unlink } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { compareKeys } from '../src/index.ts'

const require = createRequire(import.meta.url)

interface S3rverObject {
  readonly bucket: string
  readonly key: string
  readonly content: NodeJS.ReadableStream | Buffer
  readonly metadata: Record<string, unknown>
}
interface ListOptions {
  readonly maxKeys?: number
  readonly [option: string]: unknown
}
interface ListResult {
  readonly objects: { readonly key: string }[]
  readonly commonPrefixes: string[]
  readonly isTruncated: boolean
}
interface FilesystemStore {
  getResourcePath(bucket: string, key: string, resource: string): string
  putMetadata(bucket: string, key: string, metadata: Record<string, unknown>, md5: string): Promise<void>
  listObjects(bucket: string, options: ListOptions): Promise<ListResult>
}
type FilesystemStoreClass = new (dir: string) => FilesystemStore
interface S3rverInstance {
  store: FilesystemStore
  context: { store: FilesystemStore }
  run(): Promise<{ port: number }>
  close(): Promise<void>
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance

const S3rver = require('s3rver') as S3rverClass
const BaseStore = require('s3rver/lib/stores/filesystem.js') as FilesystemStoreClass

/**
 * s3rver 3.7.1 departs from S3 in two ways that would make the conformance suite test s3rver
 * rather than our backend, so this test-only subclass restores S3's documented behaviour:
 * - putObject truncates and rewrites the live file, and resolves before the data is flushed
 *   (stores/filesystem.js); S3 replaces objects atomically. Here: temp file, wait, rename.
 * - listObjects walks directories in readdir order (hash order on ext4); S3 lists keys in
 *   UTF-8 binary order and pages in that order. Here: list everything, sort, then page.
 */
class FaithfulStore extends BaseStore {
  async putObject(object: S3rverObject): Promise<{ size: number; md5: string }> {
    const target = this.getResourcePath(object.bucket, object.key, 'object')
    await mkdir(dirname(target), { recursive: true })
    const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.partial`
    const md5 = createHash('md5')
    let size = 0
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        md5.update(chunk)
        size += chunk.length
        callback(null, chunk)
      },
    })
    try {
      if (Buffer.isBuffer(object.content)) {
        tap.end(object.content)
        await pipeline(tap, createWriteStream(tmp))
      } else {
        await pipeline(object.content, tap, createWriteStream(tmp))
      }
      const digest = md5.digest('hex')
      await rename(tmp, target)
      await this.putMetadata(object.bucket, object.key, object.metadata, digest)
      return { size, md5: digest }
    } catch (err) {
      await unlink(tmp).catch(() => undefined)
      throw err
    }
  }

  override async listObjects(bucket: string, options: ListOptions): Promise<ListResult> {
    const all = await super.listObjects(bucket, { ...options, maxKeys: Number.POSITIVE_INFINITY })
    const objects = [...all.objects].sort((a, b) => compareKeys(a.key, b.key))
    const max = options.maxKeys ?? Number.POSITIVE_INFINITY
    return { objects: objects.slice(0, max), commonPrefixes: all.commonPrefixes, isTruncated: objects.length > max }
  }
}

export interface S3rverHarness {
  readonly endpoint: string
  readonly bucket: string
  close(): Promise<void>
}

/** Starts s3rver on 127.0.0.1, port 0, storing into `directory`, with the bucket `lakehouse`. */
export async function startS3rver(directory: string): Promise<S3rverHarness> {
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: 'lakehouse' }],
  })
  const store = new FaithfulStore(directory)
  server.store = store
  server.context.store = store
  const { port } = await server.run()
  return { endpoint: `http://127.0.0.1:${port}`, bucket: 'lakehouse', close: () => server.close() }
}

/** s3rver accepts this fixed key pair and checks request signatures against it. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const
