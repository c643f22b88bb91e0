import { mkdir, rename, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findRepoRoot, NODE_APP_BUNDLE, NODE_WRITER_BUNDLE } from '@lakehouse/launch'
import { build } from 'esbuild'

/**
 * Bundles one entry point and every workspace package it imports (they ship TypeScript only)
 * into a single ES module for Node. Files are written to a temp name and renamed, so a process
 * starting while another rebuilds never reads half a bundle. Also used by parity/build.ts.
 */
export async function bundleForNode(entry: string, outfile: string, external: readonly string[] = []): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    write: false,
    external: [...external],
    // Bundled CommonJS dependencies (ajv) still call require() for builtins.
    banner: {
      js: "import { createRequire as __lakehouseCreateRequire } from 'node:module'; const require = __lakehouseCreateRequire(import.meta.url);",
    },
  })
  await mkdir(dirname(outfile), { recursive: true })
  // The map first: a reader that sees the new bundle also finds its new map.
  const files = [...result.outputFiles].sort((a, b) => Number(b.path.endsWith('.map')) - Number(a.path.endsWith('.map')))
  for (const file of files) {
    const tmp = join(dirname(file.path), `.${basename(file.path)}.${process.pid}.tmp`)
    await writeFile(tmp, file.contents)
    await rename(tmp, file.path)
  }
  return outfile
}

/** This checkout: a bundle goes where @lakehouse/launch starts it from. */
const ROOT = findRepoRoot(fileURLToPath(new URL('.', import.meta.url)))

/**
 * The Node app runs compiled JavaScript, not a dev loader: speed comparisons with Bun (which
 * runs the TypeScript source) must not charge Node for on-the-fly transpiling.
 */
export function buildNodeApp(): Promise<string> {
  return bundleForNode(fileURLToPath(new URL('./src/main.ts', import.meta.url)), join(ROOT, NODE_APP_BUNDLE), NODE_APP_EXTERNALS)
}

/**
 * The journal writer process (failure tests, `lakehouse doctor collide`, benchmarks) as a
 * bundle of its own, dist/journal-writer.js; fs-ext stays external like in the app.
 */
export function buildJournalWriter(): Promise<string> {
  return bundleForNode(
    fileURLToPath(new URL('./src/journal-writer.ts', import.meta.url)),
    join(ROOT, NODE_WRITER_BUNDLE),
    NODE_APP_EXTERNALS,
  )
}

/**
 * Loaded from apps/node/node_modules at run time instead of bundled: DuckDB and usearch are
 * native addons (.node binaries esbuild cannot inline; fs-ext too), and the AWS SDK is large and only needed with S3.
 * Both are dependencies of apps/node so pnpm links them where the bundle can resolve them.
 */
export const NODE_APP_EXTERNALS: readonly string[] = [
  '@duckdb/node-api',
  '@duckdb/node-bindings',
  '@aws-sdk/client-s3',
  'usearch',
  'fs-ext',
]

if (import.meta.main) {
  for (const out of await Promise.all([buildNodeApp(), buildJournalWriter()])) process.stdout.write(`built ${out}\n`)
}
