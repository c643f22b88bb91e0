import { createHash } from 'node:crypto'
import { type CorpusOptionsInput, generateWorkers } from '../src/index.ts'

/** The whole corpus as text; only for sizes a test can hold in memory. */
export async function corpusText(options: CorpusOptionsInput): Promise<string> {
  const decoder = new TextDecoder()
  let text = ''
  for await (const chunk of generateWorkers(options)) text += decoder.decode(chunk)
  return text
}

/** SHA-256 of the streamed bytes, without holding them. */
export async function corpusSha256(options: CorpusOptionsInput): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of generateWorkers(options)) hash.update(chunk)
  return hash.digest('hex')
}
