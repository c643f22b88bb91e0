/**
 * Reads a whole stream into memory, giving up (and cancelling the stream) once more than
 * `maxBytes` arrive, so a huge or runaway body cannot exhaust memory. Too large is a
 * RangeError, so callers can tell a bad body from a failing source (whose errors pass through).
 * An aborted `signal` stops reading early and returns what arrived (the caller decides).
 */
export async function readBounded(body: ReadableStream<Uint8Array> | null, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0)
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes || signal?.aborted === true) {
      await reader.cancel().catch(() => undefined)
      if (total > maxBytes) throw new RangeError(`body exceeds ${maxBytes} bytes`)
      total -= value.byteLength
      break
    }
    chunks.push(value)
  }
  const out = new Uint8Array(total)
  let offset = 0
  for (const c of chunks) {
    out.set(c, offset)
    offset += c.byteLength
  }
  return out
}
