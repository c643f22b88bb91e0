import { createHash, randomUUID } from 'node:crypto'
import { createReadStream, type ReadStream } from 'node:fs'
import { unlink } from 'node:fs/promises'
import { join } from 'node:path'
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import { configError, type Logger, SILENT_LOGGER } from '@lakehouse/kit'
import { closedProblem, fsProblem } from './fs-errors.ts'
import { assertValidKey, assertValidPrefix, keyViolation } from './key-policy.ts'
import type { ListResult, ObjectBody, ObjectInfo, ObjectStore } from './object-store.ts'
import { createDownloadCache } from './s3-cache.ts'
import { isS3NotFound, s3Problem } from './s3-errors.ts'
import { prepareScratchDir } from './scratch-dir.ts'
import { tooLargeProblem, writeBodyToFile } from './write-body.ts'

export interface S3ObjectStoreOptions {
  /** e.g. `http://127.0.0.1:9000` for an S3-compatible server; omit for AWS. */
  readonly endpoint?: string
  readonly region: string
  readonly bucket: string
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string
  /** `bucket` in the path instead of the host name; most S3-compatible servers need it. */
  readonly forcePathStyle?: boolean
  /** Spooled uploads (`.tmp/`) and `localPath` downloads live here. */
  readonly cacheDir: string
  /** SDK attempts per operation, retries included (default 3). */
  readonly maxAttempts?: number
  readonly connectionTimeoutMs?: number
  /** A socket idle this long is dropped (default 60 s); bounds a stalled transfer, not a slow one. */
  readonly socketTimeoutMs?: number
  /**
   * ListObjects API version (default 2). Version 1 pages with `Marker` = last key and exists for
   * servers whose V2 continuation tokens are broken: s3rver 3.7 encrypts them with DES, which
   * OpenSSL 3 (Node ≥ 17) and BoringSSL (Bun) refuse. rclone has the same knob (`list_version`).
   */
  readonly listVersion?: 1 | 2
  readonly logger?: Logger
}

const S3_LIST_PAGE = 1000

function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^(W\/)?"(.*)"$/, '$2')
}

function requireText(key: keyof S3ObjectStoreOptions, value: unknown): void {
  if (typeof value !== 'string' || value === '') configError(`storage.s3.${key}`, 'is required')
}

function validate(o: S3ObjectStoreOptions): void {
  for (const key of ['region', 'bucket', 'accessKeyId', 'secretAccessKey', 'cacheDir'] as const) requireText(key, o[key])
  if (o.listVersion !== undefined && o.listVersion !== 1 && o.listVersion !== 2) configError('storage.s3.listVersion', 'must be 1 or 2')
  if (o.endpoint !== undefined && !URL.canParse(o.endpoint)) configError('storage.s3.endpoint', 'is not a URL')
}

/**
 * S3 backend (`@aws-sdk/client-s3`). Durability of `put` and `delete` is S3's: the call
 * resolves once S3 has acknowledged the write, which S3 stores redundantly before answering.
 * A PUT is one PutObject, so readers see the old object or the new one, never a mix. A body of
 * unknown length is spooled to `cacheDir/.tmp` first (enforcing `maxBytes` and computing the
 * Content-MD5 S3 verifies), because PutObject needs a length and a multipart upload for every
 * object would triple the requests.
 */
export function createS3ObjectStore(options: S3ObjectStoreOptions): ObjectStore {
  validate(options)
  const logger = options.logger ?? SILENT_LOGGER
  const bucket = options.bucket
  const tmpDir = join(options.cacheDir, '.tmp')
  prepareScratchDir(tmpDir, 'storage.s3.cacheDir', logger)
  const cache = createDownloadCache(options.cacheDir, tmpDir)
  const client = new S3Client({
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    region: options.region,
    forcePathStyle: options.forcePathStyle ?? false,
    credentials: {
      accessKeyId: options.accessKeyId,
      secretAccessKey: options.secretAccessKey,
      ...(options.sessionToken === undefined ? {} : { sessionToken: options.sessionToken }),
    },
    maxAttempts: options.maxAttempts ?? 3,
    // Checksums only where S3 requires them: since SDK 3.729 the default streams aws-chunked
    // bodies with CRC trailers, which many S3-compatible servers (s3rver among them) reject.
    // Integrity of uploads is covered by the Content-MD5 we send.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: options.connectionTimeoutMs ?? 5000, socketTimeout: options.socketTimeoutMs ?? 60_000 },
  })
  const inflight = new Set<Promise<unknown>>()
  let closed = false

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

  const headOf = async (key: string): Promise<ObjectInfo | undefined> => {
    try {
      const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
      return { key, size: out.ContentLength ?? 0, etag: unquote(out.ETag), modified: (out.LastModified ?? new Date()).toISOString() }
    } catch (err) {
      if (isS3NotFound(err)) return undefined
      throw s3Problem('HeadObject', err)
    }
  }

  const getOf = async (key: string): Promise<ObjectBody | undefined> => {
    let out: GetObjectCommandOutput
    try {
      out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
    } catch (err) {
      if (isS3NotFound(err)) return undefined
      throw s3Problem('GetObject', err)
    }
    const info = { key, size: out.ContentLength ?? 0, etag: unquote(out.ETag), modified: (out.LastModified ?? new Date()).toISOString() }
    const body = out.Body?.transformToWebStream() ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() })
    return { info, body: body as ReadableStream<Uint8Array> }
  }

  const put = async (key: string, body: ReadableStream<Uint8Array> | Uint8Array, maxBytes?: number, contentType?: string) => {
    let spooled: string | undefined
    let stream: ReadStream | undefined
    try {
      let size: number
      let md5: string
      if (body instanceof Uint8Array) {
        if (maxBytes !== undefined && body.byteLength > maxBytes) throw tooLargeProblem(maxBytes)
        size = body.byteLength
        md5 = createHash('md5').update(body).digest('base64')
      } else {
        spooled = join(tmpDir, randomUUID())
        const written = await writeBodyToFile(spooled, body, { maxBytes, hashes: ['md5'], sync: false }).catch((err: unknown) =>
          Promise.reject(fsProblem('spool', err)),
        )
        size = written.size
        md5 = Buffer.from(written.digests.md5 ?? '', 'hex').toString('base64')
        stream = createReadStream(spooled)
      }
      const out = await client
        .send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: stream ?? (body as Uint8Array),
            ContentLength: size,
            ContentMD5: md5,
            ContentType: contentType ?? 'application/octet-stream',
          }),
        )
        .catch((err: unknown) => Promise.reject(s3Problem('PutObject', err)))
      const etag = unquote(out.ETag)
      // PutObject does not return LastModified; a HEAD does, and matches the etag unless another
      // writer replaced the object meanwhile, in which case our own clock is the best we have.
      const now = await headOf(key).catch(() => undefined)
      return { key, size, etag, modified: now?.etag === etag ? now.modified : new Date().toISOString() }
    } finally {
      stream?.destroy()
      if (spooled !== undefined) await unlink(spooled).catch(() => undefined)
    }
  }

  interface Page {
    readonly contents: readonly { Key?: string; Size?: number; ETag?: string; LastModified?: Date }[]
    /** Where the next page starts, or undefined on the last page. */
    readonly next: string | undefined
  }

  const listPage = async (prefix: string, maxKeys: number, from: string | undefined): Promise<Page> => {
    const common = { Bucket: bucket, MaxKeys: maxKeys, ...(prefix === '' ? {} : { Prefix: prefix }) }
    if (options.listVersion === 1) {
      const out = await client
        .send(new ListObjectsCommand({ ...common, ...(from === undefined ? {} : { Marker: from }) }))
        .catch((err: unknown) => Promise.reject(s3Problem('ListObjects', err)))
      const contents = out.Contents ?? []
      // Without a delimiter S3 omits NextMarker; the last key returned is the marker.
      return { contents, next: out.IsTruncated === true ? (out.NextMarker ?? contents.at(-1)?.Key) : undefined }
    }
    const out = await client
      .send(new ListObjectsV2Command({ ...common, ...(from === undefined ? {} : { ContinuationToken: from }) }))
      .catch((err: unknown) => Promise.reject(s3Problem('ListObjectsV2', err)))
    return { contents: out.Contents ?? [], next: out.IsTruncated === true ? out.NextContinuationToken : undefined }
  }

  /** Pages until limit + 1 keys are seen (the extra one only proves truncation). */
  const list = async (prefix: string, limit: number): Promise<ListResult> => {
    const items: ObjectInfo[] = []
    let from: string | undefined
    for (;;) {
      const page = await listPage(prefix, Math.min(S3_LIST_PAGE, limit - items.length + 1), from)
      for (const c of page.contents) {
        // Keys written by other tools that our API could not address are left out, as on fs.
        if (c.Key === undefined || keyViolation(c.Key) !== undefined) continue
        if (items.length >= limit) return { items, truncated: true }
        items.push({ key: c.Key, size: c.Size ?? 0, etag: unquote(c.ETag), modified: (c.LastModified ?? new Date()).toISOString() })
      }
      from = page.next
      if (from === undefined) return { items, truncated: false }
    }
  }

  return {
    kind: 's3',
    put(key, body, opts = {}) {
      assertValidKey(key)
      return track(() => put(key, body, opts.maxBytes, opts.contentType))
    },
    async get(key) {
      assertValidKey(key)
      if (closed) throw closedProblem()
      return getOf(key)
    },
    async head(key) {
      assertValidKey(key)
      if (closed) throw closedProblem()
      return headOf(key)
    },
    delete(key) {
      assertValidKey(key)
      return track(async () => {
        // DeleteObject answers 204 whether or not the key existed, so existence comes from a HEAD.
        const existed = (await headOf(key)) !== undefined
        if (existed) {
          await client
            .send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))
            .catch((err: unknown) => Promise.reject(s3Problem('DeleteObject', err)))
        }
        await cache.forget(key)
        return existed
      })
    },
    async list(prefix, limit) {
      assertValidPrefix(prefix)
      if (closed) throw closedProblem()
      return list(prefix, limit)
    },
    async localPath(key) {
      assertValidKey(key)
      if (closed) throw closedProblem()
      return cache
        .localPath(
          key,
          () => headOf(key),
          () => getOf(key),
        )
        .catch((err: unknown) => Promise.reject(fsProblem('download', err)))
    },
    async close() {
      if (closed) return
      closed = true
      await Promise.allSettled([...inflight])
      client.destroy()
    },
  }
}
