/**
 * Recorded traffic → a parity case corpus: one case per exchange (after folding), in request
 * order, written as `<outDir>/<component>/recorded.yaml` in the format of docs/parity.md, so
 * `pnpm parity --case-dir <outDir>` replays it and `pnpm load` can use the weights.
 *
 * The steps: each exchange becomes a draft (headers kept or dropped, secrets redacted,
 * draft.ts), reused generated values become captures (captures.ts), near-duplicates fold into
 * weights (fold.ts), then the YAML and any binary body fixtures are written.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { stringify } from 'yaml'
import { endpointOf } from '../findings/endpoint.ts'
import { applyCaptures } from './captures.ts'
import { type Draft, draftOf, stepPath } from './draft.ts'
import type { Exchange } from './exchange.ts'
import { type Folded, fold } from './fold.ts'
import { redactionRules } from './redact.ts'

export interface CorpusOptions {
  /** The case directory (`--case-dir` of the replay); the file goes to `<outDir>/<component>/recorded.yaml`. */
  readonly outDir: string
  /** Directory under outDir and prefix of every case id (default `recorded`). */
  readonly component?: string
  /** Request headers to redact besides Authorization, Cookie, Set-Cookie, Proxy-Authorization (case-insensitive). */
  readonly redactHeaders?: readonly string[]
  /** JSON paths into request bodies to redact (`$.password`, `$.user.token`, `$.items[*].secret`). */
  readonly redactJsonPaths?: readonly string[]
  /** Request headers to keep besides content-type, accept, conditionals and custom `x-` headers. */
  readonly keepHeaders?: readonly string[]
  /** Fold near-duplicate exchanges into one weighted case (default true). */
  readonly fold?: boolean
  /** Replace an existing recorded.yaml (and its fixtures); refused otherwise. */
  readonly overwrite?: boolean
  /** Where the traffic came from, for the file's header comment (`HAR file session.har`). */
  readonly source?: string
}

export interface RecordedCorpus {
  /** Every file written: the YAML first, then the body fixtures. */
  readonly files: readonly string[]
  readonly file: string
  readonly cases: number
  readonly steps: number
  /** Exchanges folded into an earlier case (they add to its weight instead). */
  readonly folded: number
  /** Variables captured (each used by at least one later request). */
  readonly captures: number
  /** Header and JSON values redacted (dropped Authorization headers included). */
  readonly redactions: number
  /** Exchanges that cannot be a case step, with why (1-based exchange number). */
  readonly skipped: readonly { readonly exchange: number; readonly reason: string }[]
}

/** The corpus cannot be written as asked: one line for the user, exit 2. */
export class CorpusWriteError extends Error {
  override readonly name = 'CorpusWriteError'
}

export const RECORDED_FILE = 'recorded.yaml'
/** Methods a case step can send (case-schema.ts). */
const STEP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])
/** Methods that change nothing: replaying them twice on the baseline shows noise, not effects. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
// At most 40 characters, so the case id (component, number, endpoint) stays within the schema's 120.
const COMPONENT = /^[a-z][a-z0-9-]{0,39}$/

function slug(method: string, target: string): string {
  return endpointOf(method, target)
    .toLowerCase()
    .replaceAll('{id}', 'id')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
}

function stepOf(f: Folded, fixture: string | undefined): Record<string, unknown> {
  const d = f.draft
  const step: Record<string, unknown> = { method: d.method, path: stepPath(d) }
  if (d.query !== undefined && d.query.length > 0) step.query = Object.fromEntries(d.query)
  if (Object.keys(d.headers).length > 0) step.headers = Object.fromEntries(Object.entries(d.headers).sort(([a], [b]) => a.localeCompare(b)))
  if (d.body.kind === 'json') step.json = d.body.value
  else if (d.body.kind === 'text') step.text = d.body.text
  else if (d.body.kind === 'binary' && fixture !== undefined) step.file = fixture
  if (Object.keys(d.capture).length > 0) step.capture = d.capture
  // Traffic that itself contains `{{` (a template editor's API) is sent as recorded, not filled.
  if (!d.usesCapture && JSON.stringify(step).includes('{{')) step.template = false
  return step
}

function removeOldFixtures(dir: string, component: string): void {
  const own = new RegExp(`^${component}\\.\\d+\\.[a-z0-9-]*\\.bin$`)
  for (const name of readdirSync(dir)) if (own.test(name)) rmSync(join(dir, name))
}

/** Writes the corpus; throws CorpusWriteError when there is nothing to write or the file exists. */
export function writeRecordedCorpus(exchanges: readonly Exchange[], options: CorpusOptions): RecordedCorpus {
  const component = options.component ?? 'recorded'
  if (!COMPONENT.test(component))
    throw new CorpusWriteError(
      `component ${JSON.stringify(component)} must be lower case letters, digits and -, starting with a letter, at most 40 characters`,
    )
  const dir = resolve(options.outDir, component)
  const file = join(dir, RECORDED_FILE)
  if (existsSync(file) && options.overwrite !== true)
    throw new CorpusWriteError(
      `${file} already exists: pass --overwrite (overwrite: true) to replace it, or choose another --out or --component`,
    )

  const rules = redactionRules(options.redactHeaders ?? [], options.redactJsonPaths ?? [])
  const keep = new Set((options.keepHeaders ?? []).map((h) => h.toLowerCase()))
  const skipped: { exchange: number; reason: string }[] = []
  const drafts: Draft[] = []
  let redactions = 0
  for (const [i, e] of exchanges.entries()) {
    const method = e.method.toUpperCase()
    if (!STEP_METHODS.has(method)) skipped.push({ exchange: i + 1, reason: `method ${method} cannot be a case step` })
    else if (!e.target.startsWith('/')) skipped.push({ exchange: i + 1, reason: `target ${e.target} is not a path` })
    else {
      const { draft, redactions: n } = draftOf(e, i, rules, keep)
      drafts.push(draft)
      redactions += n
    }
  }
  if (drafts.length === 0)
    throw new CorpusWriteError(`no exchange can become a case (${exchanges.length} given, ${skipped.length} skipped)`)

  const captures = applyCaptures(drafts)
  const kept = fold(drafts, options.fold !== false)
  const width = Math.max(4, String(exchanges.length).length)

  mkdirSync(dir, { recursive: true })
  if (options.overwrite === true) removeOldFixtures(dir, component)
  const fixtures: string[] = []
  const cases = kept.map((f) => {
    const d = f.draft
    const e = d.exchange
    const id = [component, String(d.index + 1).padStart(width, '0'), slug(d.method, e.target)].filter((x) => x !== '').join('.')
    let fixture: string | undefined
    if (d.body.kind === 'binary') {
      fixture = `${id}.bin`
      writeFileSync(join(dir, fixture), d.body.bytes)
      fixtures.push(join(dir, fixture))
    }
    return {
      id,
      title: `${d.method} ${e.target} → ${e.status}`.slice(0, 200),
      weight: f.weight,
      ...(SAFE_METHODS.has(d.method) ? {} : { noise_check: false }),
      steps: [stepOf(f, fixture)],
    }
  })
  const header = [
    `Recorded${options.source === undefined ? '' : ` from ${options.source}`}: ${exchanges.length} exchanges, ${cases.length} cases (${drafts.length - kept.length} folded into weights), ${captures} captures, ${redactions} redactions.`,
    'Authorization headers are dropped: replay with `pnpm parity --token T` (or $LAKEHOUSE_AUTH_TOKEN); other secrets read REDACTED.',
    'Replay: pnpm parity --a URL --b URL --case-dir <this directory’s parent>. Written by parity/src/traffic/corpus-writer.ts.',
  ]
    .map((l) => `# ${l}`)
    .join('\n')
  const yaml = stringify({ tags: ['recorded'], cases }, { lineWidth: 0, aliasDuplicateObjects: false })
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, `${header}\n${yaml}`)
  renameSync(tmp, file)
  return {
    files: [file, ...fixtures],
    file,
    cases: cases.length,
    steps: cases.length,
    folded: drafts.length - kept.length,
    captures,
    redactions,
    skipped,
  }
}
