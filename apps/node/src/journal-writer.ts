// The journal writer process on Node (failure tests, `lakehouse doctor collide`, benchmarks):
// the package does the work; this entry only injects Node's flock (fs-ext). Bundled by build.ts.
import { FD_OUTPUT, runWriterProcess } from '@lakehouse/journal'
import { createNodeFileLock } from '@lakehouse/lock-node'

process.exit(await runWriterProcess(process.argv.slice(2), createNodeFileLock(), FD_OUTPUT))
