import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { errorRows, replaceErrorsTable } from '@lakehouse/kit'
import { ERROR_REGISTRIES } from '../src/errors.ts'

/** Rewrites the generated table of docs/errors.md from the registries (`pnpm docs:errors`). */
const path = fileURLToPath(new URL('../../../docs/errors.md', import.meta.url))
const before = readFileSync(path, 'utf8')
const after = replaceErrorsTable(before, errorRows(ERROR_REGISTRIES))
if (after === before) {
  process.stdout.write(`${path} is up to date\n`)
} else {
  writeFileSync(path, after)
  process.stdout.write(`rewrote the error table in ${path}\n`)
}
