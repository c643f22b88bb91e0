// Time and size of writeWorkersCsv for a few row counts, printed as JSON lines. The CSV goes to
// a temp dir that is removed afterwards. Bun runs this file directly; Node 20 cannot strip types,
// so bundle first:
//   bun bench/measure.ts 100000 500000
//   bun build bench/measure.ts --target=node --outfile=/tmp/measure.mjs && node /tmp/measure.mjs 100000 500000
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeWorkersCsv } from '../src/index.ts'

const counts = process.argv.slice(2).map(Number)
const runtime = process.versions.bun === undefined ? `node ${process.versions.node}` : `bun ${process.versions.bun}`
const dir = await mkdtemp(join(tmpdir(), 'corpus-measure-'))
try {
  for (const rows of counts.length > 0 ? counts : [100_000, 500_000]) {
    const started = performance.now()
    const result = await writeWorkersCsv({ rows, seed: 'lakehouse', out: join(dir, `workers-${rows}.csv`) })
    const seconds = (performance.now() - started) / 1000
    await rm(join(dir, `workers-${rows}.csv`))
    const mb = result.bytes / 1e6
    console.log(
      JSON.stringify({
        runtime,
        rows,
        bytes: result.bytes,
        mb: Number(mb.toFixed(1)),
        bytesPerRow: Math.round(result.bytes / Math.max(rows, 1)),
        seconds: Number(seconds.toFixed(2)),
        mbPerSecond: Number((mb / seconds).toFixed(1)),
        sha256: result.sha256,
      }),
    )
  }
} finally {
  await rm(dir, { recursive: true, force: true })
}
