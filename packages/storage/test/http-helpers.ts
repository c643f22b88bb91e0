import { TEST_ORIGIN } from '@lakehouse/kit/testing'
import { expect } from 'vitest'
import { createFsObjectStore, createStorageService, type StorageConfig, type StorageService } from '../src/index.ts'
import { tempDir } from './helpers.ts'

export const OBJECTS = `${TEST_ORIGIN}/v1/storage/objects`

export function fsService(config: Partial<StorageConfig> = {}, root = tempDir('svc')): StorageService {
  return createStorageService(config, { store: createFsObjectStore({ root }) })
}

export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected freely
  readonly body: any
}

/** Sends a request and holds every problem to the problem+json shape. */
export async function send(svc: StorageService, req: Request): Promise<Reply> {
  const res = await svc.handler(req)
  const text = await res.text()
  const type = res.headers.get('content-type') ?? ''
  const body = type.includes('json') && text !== '' ? JSON.parse(text) : undefined
  if (res.status >= 400 && req.method !== 'HEAD') {
    expect(type).toBe('application/problem+json')
    expect(body).toMatchObject({ status: res.status, type: `urn:lakehouse:problem:${body.code}` })
  }
  return { status: res.status, headers: res.headers, text, body }
}

export function objectUrl(encodedKey: string): string {
  return `${OBJECTS}/${encodedKey}`
}

export function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/')
}

type Body = string | Uint8Array | ReadableStream<Uint8Array> | null

export function request(method: string, encodedKey: string, body: Body = null, headers: Record<string, string> = {}): Request {
  // `duplex` is required by Node's fetch for stream bodies and missing from the DOM typings.
  const init = { method, body, headers, duplex: 'half' } as RequestInit
  return new Request(objectUrl(encodedKey), init)
}

export function putKey(svc: StorageService, key: string, body: Body, headers: Record<string, string> = {}): Promise<Reply> {
  return send(svc, request('PUT', encodeKey(key), body, headers))
}

export function getKey(svc: StorageService, key: string, method = 'GET'): Promise<Reply> {
  return send(svc, request(method, encodeKey(key)))
}

export function list(svc: StorageService, query = ''): Promise<Reply> {
  return send(svc, new Request(`${OBJECTS}${query}`))
}

/** A body that yields one chunk and then waits for `release()`: holds a PUT slot open. */
export function heldBody(first: Uint8Array): { stream: ReadableStream<Uint8Array>; release(): void } {
  let release = () => {}
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  let sent = false
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sent) {
        sent = true
        controller.enqueue(first)
        return
      }
      await gate
      controller.close()
    },
  })
  return { stream, release }
}
