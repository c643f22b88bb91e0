import { readFile } from 'node:fs/promises'
import { configError } from '@lakehouse/kit'

/** One id per line; blank lines and `#` comments ignored. A missing file is a boot error, not an empty set. */
export async function readWorkerIds(path: string): Promise<string[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO'
    return configError('worker-ids', `cannot read ${path} (${code}); pass a readable file of newline-separated worker ids`)
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
}
