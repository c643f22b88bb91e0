// The journal writer process on Bun (failure tests, `lakehouse doctor collide`, benchmarks):
// the package does the work; this entry only injects Bun's flock (bun:ffi).
import { FD_OUTPUT, runWriterProcess } from '@lakehouse/journal'
import { createBunFileLock } from '@lakehouse/lock-bun'

process.exit(await runWriterProcess(process.argv.slice(2), createBunFileLock(), FD_OUTPUT))
