import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

let cached: string | undefined

/**
 * The Chart.js UMD build (chart.js 4.x, a dependency of this package), inlined into
 * report.html so the page draws its charts offline. Read at render time, once per process.
 *
 * Resolved from this module's URL: from source that is load/src/report/, from the esbuild
 * bundle load/dist/load.js — both find load/node_modules/chart.js. chart.js's `exports` map
 * does not list `dist/chart.umd.min.js`, so the package entry (dist/chart.cjs under the
 * `require` condition) is resolved and the UMD file read from beside it. The trailing
 * sourceMappingURL comment is dropped: the page must reference nothing outside itself.
 */
export function chartJsSource(): string {
  if (cached !== undefined) return cached
  const entry = createRequire(import.meta.url).resolve('chart.js')
  const text = readFileSync(join(dirname(entry), 'chart.umd.min.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n')
  // Inside <script> the HTML parser ends the element at `</script` and treats `<!--` specially;
  // JavaScript cannot be escaped generically, so a build containing either is refused.
  if (/<\/script|<!--/i.test(text)) throw new Error('chart.umd.min.js contains </script or <!--: it cannot be inlined into report.html')
  cached = text
  return text
}
