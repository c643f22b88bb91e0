import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LAKEHOUSE_VERSION } from '@lakehouse/kit'
import { launchApp, runLakehouseCli, TargetError } from '@lakehouse/parity'

/**
 * The staffing corpus a load run needs — the `workers` dataset and the `workers` vector index
 * — built once (generate → ingest → index, each with its own progress line) into a data
 * directory kept under `reports/load/cache/`, then copied into a fresh data directory for
 * every booted target. The key names what the directory holds: rows, seed and the on-disk
 * format, so a change to any of them builds a new one instead of reusing a stale one.
 */

/** Bump when the way the prepared directory is built changes (new dataset columns, index parameters…). */
export const PREPARED_FORMAT = 1

export interface PreparedCorpus {
  readonly dir: string
  readonly rows: number
  readonly seed: string
  readonly key: string
}

const READY = 'load-corpus.json'

export function corpusKey(rows: number, seed: string): string {
  const safeSeed = seed.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 40)
  return `workers-${rows}-${safeSeed}-f${PREPARED_FORMAT}-v${LAKEHOUSE_VERSION}`
}

async function must(root: string, what: string, args: readonly string[]): Promise<void> {
  const code = await runLakehouseCli(args, { root })
  if (code !== 0) throw new TargetError(`preparing the load corpus: \`lakehouse ${args.join(' ')}\` (${what}) exited ${code}`)
}

/** Returns the prepared directory, building it first when it is missing or was left half-built. */
export async function prepareCorpus(options: {
  readonly root: string
  readonly cacheDir: string
  readonly rows: number
  readonly seed: string
  readonly log: (line: string) => void
}): Promise<PreparedCorpus> {
  const key = corpusKey(options.rows, options.seed)
  const dir = join(options.cacheDir, key)
  const prepared = { dir, rows: options.rows, seed: options.seed, key }
  if (existsSync(join(dir, READY))) {
    options.log(`corpus: reusing ${dir}`)
    return prepared
  }
  mkdirSync(options.cacheDir, { recursive: true })
  // Built beside its final name and renamed when complete: an interrupted build is never reused.
  const partial = `${dir}.partial-${process.pid}`
  rmSync(partial, { recursive: true, force: true })
  rmSync(dir, { recursive: true, force: true })
  const work = mkdtempSync(join(tmpdir(), 'lakehouse-load-corpus-'))
  const csv = join(work, 'workers.csv')
  const t0 = performance.now()
  options.log(`corpus: building ${key} (${options.rows} workers, seed ${options.seed}) — once; later runs reuse it`)
  try {
    await must(options.root, 'generate', ['corpus', 'generate', '--rows', String(options.rows), '--seed', options.seed, '--out', csv])
    const app = await launchApp('node', { dataDir: partial, args: ['--log-level', 'warn'], root: options.root })
    try {
      await must(options.root, 'ingest', ['ingest', csv, '--name', 'workers', '--url', app.url])
      await must(options.root, 'index', [
        'corpus',
        'index',
        '--dataset',
        'workers',
        '--index',
        'workers',
        '--batch',
        '1000',
        '--url',
        app.url,
      ])
    } catch (e) {
      await app.stop()
      throw e
    }
    // Stopping flushes the vector index to disk: only a clean exit leaves a complete directory.
    const exit = await app.stop()
    if (exit.code !== 0) throw new TargetError(`preparing the load corpus: the node app exited ${exit.code ?? exit.signal} on stop`)
    writeFileSync(
      join(partial, READY),
      `${JSON.stringify({ key, rows: options.rows, seed: options.seed, built_at: new Date().toISOString() }, null, 2)}\n`,
    )
    renameSync(partial, dir)
  } catch (e) {
    rmSync(partial, { recursive: true, force: true })
    throw e
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  options.log(`corpus: ready in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${dir}`)
  return prepared
}

/** A fresh copy of the prepared directory for one target (each target gets its own state). */
export function copyPrepared(prepared: PreparedCorpus, label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `lakehouse-load-${label}-`))
  cpSync(prepared.dir, dir, { recursive: true, preserveTimestamps: true })
  return dir
}
