import { parseArgs } from 'node:util'
import { writeWorkersCsv } from '@lakehouse/corpus'
import { createProgress, formatBytes } from '../progress.ts'
import { didYouMean } from '../suggest.ts'
import { CORPUS_INDEX_HELP, corpusIndexCommand } from './corpus-index.ts'

export const CORPUS_HELP = `lakehouse corpus generate --rows N [--seed S] --out FILE.csv

Writes the deterministic synthetic staffing dataset (DESIGN.md §8; docs/corpus.md): the same
rows and seed give a byte-identical file on every machine and runtime. Prints rows, size and
SHA-256. Default seed: lakehouse.

${CORPUS_INDEX_HELP}`

export async function corpusCommand(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args
  if (sub === '--help' || sub === '-h' || sub === undefined) {
    process.stdout.write(`${CORPUS_HELP}\n`)
    return sub === undefined ? 2 : 0
  }
  if (sub === 'index') return corpusIndexCommand(rest)
  if (sub !== 'generate') {
    process.stderr.write(
      `lakehouse corpus: unknown subcommand ${JSON.stringify(sub)}${didYouMean(sub, ['generate', 'index'])}\n\n${CORPUS_HELP}\n`,
    )
    return 2
  }
  const { values } = parseArgs({
    args: rest,
    strict: true,
    allowPositionals: false,
    options: { rows: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  })
  if (values.help === true) {
    process.stdout.write(`${CORPUS_HELP}\n`)
    return 0
  }
  const rows = Number(values.rows)
  const problem =
    values.rows === undefined
      ? 'needs --rows N'
      : values.rows.trim() === '' || !Number.isSafeInteger(rows) || rows < 0 || rows > 50_000_000
        ? `--rows must be a whole number 0..50000000, not ${JSON.stringify(values.rows)}`
        : values.out === undefined
          ? 'needs --out FILE.csv'
          : undefined
  if (problem !== undefined || values.out === undefined) {
    process.stderr.write(`lakehouse corpus generate: ${problem ?? 'needs --out FILE.csv'}\n\nusage: ${CORPUS_HELP.split('\n')[0]}\n`)
    return 2
  }
  const seed = values.seed ?? 'lakehouse'
  const progress = createProgress(`corpus ${values.out}`, rows, 'rows')
  const started = performance.now()
  const result = await writeWorkersCsv({ rows, seed, out: values.out, onProgress: (p) => progress.update(p.rowsWritten) })
  const secs = (performance.now() - started) / 1000
  progress.finish(`corpus: ${result.rows.toLocaleString('en-US')} rows, ${formatBytes(result.bytes)} in ${secs.toFixed(2)} s`)
  process.stdout.write(`${values.out}\n  rows: ${result.rows}\n  bytes: ${result.bytes}\n  sha256: ${result.sha256}\n  seed: ${seed}\n`)
  return 0
}
