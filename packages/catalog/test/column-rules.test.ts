import { describe, expect, it } from 'vitest'
import { columnNameLength, hasControlCharacter, MAX_COLUMN_NAME_CHARS } from '../src/index.ts'
import { registerInputParser } from '../src/register-input.ts'

const parse = registerInputParser({ maxColumns: 4 })
const accepts = (column: string): boolean => {
  const body = {
    name: 't',
    fingerprint: '0'.repeat(64),
    schema: [{ name: column, type: 'VARCHAR' }],
    object_key: 'datasets/t/x.parquet',
    row_count: 1,
  }
  try {
    parse(body)
    return true
  } catch {
    return false
  }
}

describe('column rules', () => {
  it('are the ones the register schema applies (ingest checks a CSV header with them)', () => {
    const names = ['a', 'x'.repeat(MAX_COLUMN_NAME_CHARS), 'x'.repeat(MAX_COLUMN_NAME_CHARS + 1), '😀'.repeat(MAX_COLUMN_NAME_CHARS)]
    names.push('😀'.repeat(MAX_COLUMN_NAME_CHARS + 1), 'a\u0000b', 'a\tb', 'a\u001fb', 'a\u007fb', 'a\u0080b', 'é')
    for (const name of names) {
      const rules = columnNameLength(name) <= MAX_COLUMN_NAME_CHARS && !hasControlCharacter(name)
      expect(accepts(name), JSON.stringify(name.slice(0, 8))).toBe(rules)
    }
    expect(columnNameLength('😀é')).toBe(2)
  })
})
