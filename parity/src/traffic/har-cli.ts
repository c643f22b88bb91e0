/**
 * `pnpm parity import-har FILE …`: a devtools HAR export → a recorded corpus (corpus-writer.ts)
 * and a short summary naming what was skipped and how to replay it. Bad input — flags, an
 * unreadable or malformed file, an existing corpus — is one line on stderr and exit 2.
 */
import { readFileSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { CorpusWriteError, writeRecordedCorpus } from './corpus-writer.ts'
import { HarFormatError, readHar } from './har.ts'
import { RedactionRuleError } from './redact.ts'

export const IMPORT_HAR_USAGE = `pnpm parity import-har FILE [options]

Turns a HAR 1.2 file (browser devtools: "Save all as HAR") into a parity case corpus:
DIR/COMPONENT/recorded.yaml, one case per request of one origin, generated ids and etags
captured, credentials redacted, near-duplicates folded into weights.

  --out DIR              case directory to write into (default parity/recorded)
  --component NAME       sub-directory and case id prefix (default recorded)
  --origin URL           keep entries of this origin (default: the most frequent one)
  --redact-header NAME   also redact this request header (repeatable); Authorization,
                         Cookie, Set-Cookie and Proxy-Authorization always are
  --redact-json PATH     redact this JSON path in request bodies, e.g. $.password (repeatable)
  --no-fold              keep near-duplicate requests as separate cases
  --overwrite            replace an existing recorded.yaml

exit codes: 0 written, 2 bad flags or input`

export interface CliIo {
  readonly stdout: { write(text: string): unknown }
  readonly stderr: { write(text: string): unknown }
  /** Relative paths resolve against this (default process.cwd()). */
  readonly cwd: string
}

const DEFAULT_IO: CliIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }

/** argv are the arguments after `import-har`. Returns the exit code. */
export async function harMain(argv: readonly string[], io: CliIo = DEFAULT_IO): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`parity import-har: ${message}\n`)
    return 2
  }
  let values: Record<string, string | boolean | string[] | undefined>
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        component: { type: 'string' },
        origin: { type: 'string' },
        'redact-header': { type: 'string', multiple: true },
        'redact-json': { type: 'string', multiple: true },
        'no-fold': { type: 'boolean' },
        overwrite: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (e) {
    return fail(`${e instanceof Error ? e.message : String(e)} (see --help)`)
  }
  if (values.help === true) {
    io.stdout.write(`${IMPORT_HAR_USAGE}\n`)
    return 0
  }
  if (positionals.length !== 1) return fail(`expected one HAR file, got ${positionals.length} (see --help)`)
  const harPath = resolve(io.cwd, positionals[0] ?? '')
  let text: string
  try {
    text = readFileSync(harPath, 'utf8')
  } catch (e) {
    return fail(`cannot read ${harPath}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
  }
  const outDir = resolve(io.cwd, typeof values.out === 'string' ? values.out : 'parity/recorded')
  try {
    const har = readHar(text, typeof values.origin === 'string' ? { origin: values.origin } : {})
    if (har.exchanges.length === 0) return fail(`no entry of ${har.origin} to import (${har.entries} entries, all skipped)`)
    const corpus = writeRecordedCorpus(har.exchanges, {
      outDir,
      ...(typeof values.component === 'string' ? { component: values.component } : {}),
      redactHeaders: (values['redact-header'] as string[] | undefined) ?? [],
      redactJsonPaths: (values['redact-json'] as string[] | undefined) ?? [],
      fold: values['no-fold'] !== true,
      overwrite: values.overwrite === true,
      source: `HAR ${relative(outDir, harPath) || harPath} (${har.origin})`,
    })
    const reasons = new Map<string, number>()
    for (const s of har.skipped) {
      const key = s.reason.startsWith('other origin') ? 'other origins' : s.reason
      reasons.set(key, (reasons.get(key) ?? 0) + 1)
    }
    for (const s of corpus.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1)
    const skipped = [...reasons].map(([r, n]) => `${n} ${r}`).join(', ')
    const shownDir = relative(io.cwd, outDir) || '.'
    const lines = [
      `read ${har.entries} entries of ${harPath}; kept ${har.exchanges.length} of ${har.origin}`,
      ...(reasons.size === 0 ? [] : [`skipped ${har.skipped.length + corpus.skipped.length}: ${skipped}`]),
      `wrote ${corpus.cases} cases to ${relative(io.cwd, corpus.file)}${corpus.files.length > 1 ? ` (+${corpus.files.length - 1} body fixtures)` : ''}`,
      `folded ${corpus.folded} near-duplicates into weights, ${corpus.captures} captures, ${corpus.redactions} redactions (Authorization dropped: replay with --token)`,
      `replay: pnpm parity --a URL --b URL --case-dir ${shownDir.startsWith('..') ? outDir : shownDir}`,
    ]
    io.stdout.write(`${lines.join('\n')}\n`)
    return 0
  } catch (e) {
    if (e instanceof HarFormatError) return fail(`${harPath}: ${e.message}`)
    if (e instanceof CorpusWriteError || e instanceof RedactionRuleError) return fail(e.message)
    throw e
  }
}
