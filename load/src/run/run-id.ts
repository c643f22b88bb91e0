import { randomBytes } from 'node:crypto'

/** `20261204T143000Z-1a2b`: sortable by time, unique across machines running shards at once. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  return `${stamp}-${randomBytes(2).toString('hex')}`
}
