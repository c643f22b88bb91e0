/**
 * Reads a whole stream into memory, giving up (and cancelling the stream) once more than
 * `maxBytes` arrive, so a huge or runaway object cannot exhaust memory. Too large is a
 * RangeError, so callers can tell a bad object from a failing store (whose errors pass through).
 */
export async function readBounded(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw new RangeError(`object exceeds ${maxBytes} bytes`)
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
