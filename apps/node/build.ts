import { mkdir, rename, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

/**
 * Bundles the Node app to one ES module so Node runs compiled JavaScript, not a dev loader —
 * speed comparisons with Bun (which runs the TypeScript source) must not charge Node for
 * on-the-fly transpiling. Workspace packages are inlined (they ship TypeScript only).
 *
 * Files are written to a temp name and renamed, so a server starting while another process
 * rebuilds (`lakehouse serve --runtime node` during a test run) never reads half a bundle.
 */
export async function buildNodeApp(): Promise<string> {
  const outfile = fileURLToPath(new URL('./dist/main.js', import.meta.url))
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./src/main.ts', import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    write: false,
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

if (import.meta.main) {
  const out = await buildNodeApp()
  process.stdout.write(`built ${out}\n`)
}
