import { createHash } from 'node:crypto'

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

function uuidBytes(uuid: string): Uint8Array {
  const lower = uuid.toLowerCase()
  if (!UUID_PATTERN.test(lower)) throw new TypeError(`not a UUID: ${uuid}`)
  return Uint8Array.from(Buffer.from(lower.replaceAll('-', ''), 'hex'))
}

/**
 * Name-based UUID, SHA-1 flavour (RFC 9562 §5.5): SHA-1 over the namespace's 16 bytes then the
 * name's UTF-8 bytes, first 16 bytes of the digest, version nibble 5, variant bits 10.
 * Deterministic, so the same name yields the same id on every machine and after disk loss.
 */
export function uuidV5(namespace: string, name: string): string {
  const digest = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest()
  const b = digest.subarray(0, 16)
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x50
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80
  const hex = b.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
