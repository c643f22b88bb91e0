import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { type JournalOptions, openJournal, SEGMENT_NAME, STORE_LAYOUT } from '../src/index.ts'
import { testFileLock } from '../src/testing.ts'

export const runtimeLock = testFileLock

const dirs: string[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

export async function tempStore(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'journal-test-'))
  dirs.push(dir)
  return join(dir, 'store')
}

export async function open(dir: string, extra: Partial<JournalOptions> = {}) {
  return openJournal({ dir, lock: await runtimeLock(), ...extra })
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

export async function segmentPaths(dir: string, sub: string = STORE_LAYOUT.segments): Promise<string[]> {
  return (await readdir(join(dir, sub)))
    .filter((n) => SEGMENT_NAME.test(n))
    .sort()
    .map((n) => join(dir, sub, n))
}

export async function storeBytes(dir: string): Promise<Buffer> {
  return Buffer.concat(await Promise.all((await segmentPaths(dir)).map((p) => readFile(p))))
}
