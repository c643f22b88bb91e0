/**
 * Writes the wide CSVs of issue 12: a header c0…cN-1 and `rows` records. One record is all
 * `1`s (the reproduction); more records cycle integer, decimal, boolean and date columns so the
 * whole-file check has every kind of work. With `misfit`, every value after the first 1,000
 * records is `x`, so every typed column is demoted (the worst case for the whole-file check).
 *
 *   ../../node_modules/.bin/bun bench/wide-csv.ts <columns> <rows> <out.csv> [misfit]
 */
import { open } from 'node:fs/promises'

export async function writeWideCsv(path: string, columns: number, rows: number, misfit = false): Promise<void> {
  const file = await open(path, 'w')
  try {
    await file.write(`${Array.from({ length: columns }, (_, i) => `c${i}`).join(',')}\n`)
    for (let r = 0; r < rows; r++) {
      const fields = Array.from({ length: columns }, (_, i) => {
        if (misfit && r >= 1000) return 'x'
        if (rows === 1) return '1'
        switch (i % 4) {
          case 0:
            return String(r % 1000)
          case 1:
            return `${r % 10}.5`
          case 2:
            return r % 2 === 0 ? 'true' : 'false'
          default:
            return `2024-01-${10 + (r % 19)}`
        }
      })
      await file.write(`${fields.join(',')}\n`)
    }
  } finally {
    await file.close()
  }
}

if (import.meta.main) {
  const [columns = '50', rows = '1', out = 'wide.csv', misfit] = process.argv.slice(2)
  await writeWideCsv(out, Number(columns), Number(rows), misfit === 'misfit')
}
