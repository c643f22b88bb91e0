import { fileURLToPath } from 'node:url'
import { bundleForNode } from '@lakehouse/node/build'

/**
 * The load generator runs on Node, like parity: autocannon drives raw `net` sockets with
 * http-parser-js, and Node is the runtime it is written and measured for. autocannon stays
 * external (it resolves worker and preload files relative to itself at run time).
 */
export function buildLoad(): Promise<string> {
  return bundleForNode(
    fileURLToPath(new URL('./src/main.ts', import.meta.url)),
    fileURLToPath(new URL('./dist/load.js', import.meta.url)),
    ['autocannon'],
  )
}

if (import.meta.main) {
  const out = await buildLoad()
  process.stdout.write(`built ${out}\n`)
}
