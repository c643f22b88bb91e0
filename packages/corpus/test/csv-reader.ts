/**
 * A strict RFC 4180 reader for the tests only (the package itself never parses CSV). Records
 * end in LF; it also remembers which fields were quoted so tests can check that quoting is
 * applied exactly when needed. Throws on anything a strict reader would reject.
 */
export interface CsvField {
  readonly value: string
  readonly quoted: boolean
}

const UNQUOTED = /[^,\n"]*/y

export function readCsv(text: string): CsvField[][] {
  const records: CsvField[][] = []
  let record: CsvField[] = []
  let i = 0
  while (i < text.length) {
    let value = ''
    const quoted = text[i] === '"'
    if (quoted) {
      i++
      for (;;) {
        const q = text.indexOf('"', i)
        if (q < 0) throw new Error(`unterminated quoted field at ${i}`)
        value += text.slice(i, q)
        i = q + 1
        if (text[i] !== '"') break
        value += '"'
        i++
      }
    } else {
      UNQUOTED.lastIndex = i
      value = UNQUOTED.exec(text)?.[0] ?? ''
      i += value.length
      if (text[i] === '"') throw new Error(`bare quote inside an unquoted field at ${i}`)
    }
    record.push({ value, quoted })
    const sep = text[i]
    if (sep === ',') i++
    else if (sep === '\n' || sep === undefined) {
      records.push(record)
      record = []
      i++
    } else throw new Error(`expected , or LF after a field at ${i}, got ${JSON.stringify(sep)}`)
  }
  return records
}
