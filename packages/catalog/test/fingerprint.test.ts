import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { fingerprintSchema } from '../src/index.ts'

describe('fingerprintSchema', () => {
  // Expected values computed with Python's hashlib over the same framing (0x1f within, 0x1e between).
  it.each([
    [
      [
        { name: 'id', type: 'BIGINT' },
        { name: 'name', type: 'VARCHAR' },
      ],
      'dccc4041e4dfcf1a14fca98ba4db6c10e0f3980e3e638906bd24e64c9d1cc785',
    ],
    [[{ name: 'a,b', type: 'VARCHAR' }], 'e8a8786971abe3c62d059ccaf660eb5397a2647a256c88c7510fdb88e472f114'],
    [
      [
        { name: 'a', type: 'VARCHAR' },
        { name: 'b', type: 'VARCHAR' },
      ],
      '3de1e77ada660e4a0b335669b8549d015d8d507d0e4fbbf771ac205ed6fcb4aa',
    ],
    [[{ name: '名前', type: 'VARCHAR' }], '529e1c3961fd2ab0d9cce5fcf392f513dda6a04b75114b94557c53e971a9b9f6'],
    [[], 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ])('hashes %j to its pinned value', (columns, expected) => {
    expect(fingerprintSchema(columns)).toBe(expected)
  })

  it('does not collide where a comma-joined encoding would (a name containing commas)', () => {
    const oneColumn = [{ name: 'x,BIGINT,y', type: 'VARCHAR' }]
    const twoColumns = [
      { name: 'x', type: 'BIGINT' },
      { name: 'y', type: 'VARCHAR' },
    ]
    const naive = (cols: { name: string; type: string }[]) =>
      createHash('sha256')
        .update(cols.map((c) => `${c.name},${c.type}`).join(','))
        .digest('hex')
    expect(naive(oneColumn)).toBe(naive(twoColumns))
    expect(fingerprintSchema(oneColumn)).not.toBe(fingerprintSchema(twoColumns))
  })

  it('depends on column order and on types, and is 64 lower-case hex', () => {
    const ab = fingerprintSchema([
      { name: 'a', type: 'BIGINT' },
      { name: 'b', type: 'VARCHAR' },
    ])
    const ba = fingerprintSchema([
      { name: 'b', type: 'VARCHAR' },
      { name: 'a', type: 'BIGINT' },
    ])
    const retyped = fingerprintSchema([
      { name: 'a', type: 'DOUBLE' },
      { name: 'b', type: 'VARCHAR' },
    ])
    expect(new Set([ab, ba, retyped]).size).toBe(3)
    expect(ab).toMatch(/^[0-9a-f]{64}$/)
  })
})
