import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * The Node app runs from its bundle; turbo builds it before `test` (dependsOn ^build), and this
 * check turns a missing bundle into a clear message instead of a spawn error.
 */
export default function setup(): void {
  const bundle = fileURLToPath(new URL('../../../apps/node/dist/main.js', import.meta.url))
  if (!existsSync(bundle)) throw new Error(`missing ${bundle}: run \`pnpm build\` (pnpm test does it through turbo)`)
}
