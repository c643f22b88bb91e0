import { fileURLToPath } from 'node:url'
import { bundleForNode } from '@lakehouse/node/build'

/** The parity tool runs on Node (it relies on undici pools, which Bun only emulates). */
export function buildParity(): Promise<string> {
  return bundleForNode(
    fileURLToPath(new URL('./src/main.ts', import.meta.url)),
    fileURLToPath(new URL('./dist/parity.js', import.meta.url)),
  )
}

if (import.meta.main) {
  const out = await buildParity()
  process.stdout.write(`built ${out}\n`)
}
