import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatWriterLine, lineSplitter, listStores, parseWriterLine, scanStoreRaw, verifyStore, type WriterLine } from '../src/index.ts'
import { open, runtimeLock, tempStore } from './helpers.ts'

describe('writer protocol', () => {
  it('parses every line the writer formats back to the same value', () => {
    const lines: WriterLine[] = [
      { word: 'ready', pid: 42 },
      { word: 'ack', seq: 7, writer: 'w1', i: 0 },
      { word: 'stats', stats: { appended: 3, commits: 2, lock_wait_ms: 0.5, lock_wait_max_ms: 0.3, append_ms: 1, elapsed_ms: 9 } },
      { word: 'done', writer: 'w1', count: 3 },
      { word: 'locked', pid: 43 },
      { word: 'stamped', identity: '123:abcdef' },
    ]
    for (const line of lines) {
      const text = formatWriterLine(line)
      expect(text.endsWith('\n') && !text.slice(0, -1).includes('\n'), text).toBe(true)
      expect(parseWriterLine(text.slice(0, -1))).toEqual(line)
    }
  })

  it('leaves anything else unparsed', () => {
    for (const text of ['', 'ack', 'ack 1 w', 'ack x w 1', 'ready', 'ready 1 2', 'stats {', 'done w', 'hello 1']) {
      expect(parseWriterLine(text), text).toBeUndefined()
    }
  })

  it('splits chunks into lines, the unterminated last one at the end', () => {
    const seen: string[] = []
    const split = lineSplitter((l) => seen.push(l))
    for (const chunk of ['rea', 'dy 1\nack 1 w 0\nack 2', ' w 1\n', 'done w 2']) split.push(chunk)
    expect(seen).toEqual(['ready 1', 'ack 1 w 0', 'ack 2 w 1'])
    split.end()
    expect(seen.at(-1)).toBe('done w 2')
  })
})

describe('store verification', () => {
  it('lists stores, scans their frames raw and verifies them through a copy', async () => {
    const store = await tempStore()
    const root = join(store, '..')
    const j = await open(store)
    for (let i = 0; i < 5; i++) await j.append('test.record', { i })
    await j.checkpoint(5, { n: 5 })
    await j.close()
    expect(await listStores(root)).toEqual([store])
    expect(await listStores(join(root, 'absent'))).toEqual([])
    const raw = await scanStoreRaw(store)
    expect(raw.badLines).toBe(0)
    expect(raw.frames.filter((f) => f.kind === 'test.record').map((f) => f.data)).toEqual([0, 1, 2, 3, 4].map((i) => ({ i })))
    const scratch = await mkdtemp(join(tmpdir(), 'journal-verify-'))
    try {
      const v = await verifyStore(store, scratch, await runtimeLock())
      expect(v).toMatchObject({ store, records: 5, corrupt: 0, differences: 0, checkpoint_ok: true, ok: true })
    } finally {
      await rm(scratch, { recursive: true, force: true })
    }
  })
})
