import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { seededRandom } from '@lakehouse/kit/testing'
import { afterAll } from 'vitest'

const made: string[] = []
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A fresh temp directory, removed after the file's tests. */
export function tempDir(label = 'storage'): string {
  const dir = mkdtempSync(join(tmpdir(), `lakehouse-${label}-`))
  made.push(dir)
  return dir
}

export const encoder = new TextEncoder()
export const decoder = new TextDecoder()

export async function readAll(body: ReadableStream<Uint8Array> | null): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0)
  const chunks: Uint8Array[] = []
  let total = 0
  const reader = body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    total += value.byteLength
  }
  const out = new Uint8Array(total)
  let offset = 0
  for (const c of chunks) {
    out.set(c, offset)
    offset += c.byteLength
  }
  return out
}

export async function readText(body: ReadableStream<Uint8Array> | null): Promise<string> {
  return decoder.decode(await readAll(body))
}

/** A stream that yields `data` in chunks of `chunkBytes`, optionally pausing between them. */
export function streamOf(data: Uint8Array, chunkBytes = 7919, delayMs = 0): ReadableStream<Uint8Array> {
  let offset = 0
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (offset >= data.byteLength) {
        controller.close()
        return
      }
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs))
      controller.enqueue(data.slice(offset, offset + chunkBytes))
      offset += chunkBytes
    },
  })
}

/** A stream that yields `chunks` then fails, as a client that disconnects mid-upload. */
export function failingStream(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[i++]
      if (next === undefined) controller.error(new Error('client went away'))
      else controller.enqueue(next)
    },
  })
}

/** Deterministic pseudo-random bytes (kit's seeded test PRNG), the same on every runtime. */
export function pseudoRandomBytes(size: number, seed = 42): Uint8Array {
  const next = seededRandom(seed)
  const out = new Uint8Array(size)
  for (let i = 0; i < size; i++) out[i] = Math.floor(next() * 4294967296) & 0xff
  return out
}

export function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/** The code a rejected promise carries, or 'resolved'. */
export async function rejectionCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
    return 'resolved'
  } catch (err) {
    return codeOf(err)
  }
}
