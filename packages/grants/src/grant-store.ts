import { readdir, readFile, rename, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { ensureDirDurable, fsyncPath, writeFileAtomic } from '@lakehouse/kit'
import { GRANT_ID_PATTERN, type GrantPayload } from './token.ts'

/**
 * The grant records on disk. A record's directory is its state, and the only transitions are
 * renames out of `live/`, so "who consumed it" is decided by the kernel: rename(2) moves the
 * one directory entry once, and every other renamer gets ENOENT (seed 000, CAS-mv).
 *
 *   <grants>/live/<id>.json       minted, not yet used (or past exp)
 *   <grants>/consumed/<id>.json   used exactly once
 *   <grants>/revoked/<id>.json    withdrawn before use
 */
export type RecordState = 'live' | 'consumed' | 'revoked'

/** Lookup order follows the direction records move, so a record moving during a lookup is still found. */
export const RECORD_STATES: readonly RecordState[] = ['live', 'consumed', 'revoked']
const DIR_MODE = 0o700
const FILE_MODE = 0o600
const RECORD_NAME = /^([0-9a-f]{32})\.json$/
/** A rename whose destination directory vanished underneath it is retried this often. */
const MOVE_ATTEMPTS = 3

function errnoOf(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined
  return typeof code === 'string' ? code : undefined
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return false
    throw err
  }
}

/** Largest time a Date can hold; a hand-edited record beyond it must not make list() throw. */
const MAX_TIME_MS = 8.64e15
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= MAX_TIME_MS

export function parseRecord(text: string): GrantPayload | undefined {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof v !== 'object' || v === null) return undefined
  const { id, scope, iat, exp } = v as Record<string, unknown>
  if (typeof id !== 'string' || !GRANT_ID_PATTERN.test(id) || typeof scope !== 'string') return undefined
  if (!isTime(iat) || !isTime(exp)) return undefined
  return { id, scope, iat, exp }
}

export interface StoredRecord {
  readonly record: GrantPayload
  readonly state: RecordState
}

export interface GrantStore {
  /** Durability: on return the record's bytes and its `live/` name are fsynced. */
  writeLive(record: GrantPayload): Promise<void>
  /**
   * Renames `live/<id>.json` into `to/`: true when this call moved it, false when the record
   * was not in `live/` (another consumer or a revoke got there first, or it never existed).
   * Durability: on true, both directories are fsynced, so the move survives a crash and a
   * consumed grant cannot come back to life.
   */
  moveFromLive(id: string, to: Exclude<RecordState, 'live'>): Promise<boolean>
  /** Which directory holds the record now, or undefined. */
  locate(id: string): Promise<RecordState | undefined>
  read(id: string, state: RecordState): Promise<GrantPayload | undefined>
  /** Every readable record; `onUnreadable` hears about files that are not records. */
  readAll(onUnreadable: (path: string) => void): Promise<StoredRecord[]>
}

export function createGrantStore(dir: string): GrantStore {
  const dirOf = (state: RecordState) => join(dir, state)
  const pathOf = (id: string, state: RecordState) => join(dir, state, `${id}.json`)

  /** State directories are created on demand (0700). */
  const ensureDir = (state: RecordState) => ensureDirDurable(dirOf(state), { mode: DIR_MODE })

  return {
    async writeLive(record) {
      await ensureDir('live')
      // A temp name never matches RECORD_NAME, so one left by a crash is ignored by list().
      const text = `${JSON.stringify({ id: record.id, scope: record.scope, iat: record.iat, exp: record.exp })}\n`
      await writeFileAtomic(pathOf(record.id, 'live'), text, { mode: FILE_MODE })
    },

    async moveFromLive(id, to) {
      for (let attempt = 1; ; attempt++) {
        await ensureDir(to)
        try {
          await rename(pathOf(id, 'live'), pathOf(id, to))
        } catch (err) {
          if (errnoOf(err) !== 'ENOENT') throw err
          // ENOENT is also what rename says when the destination directory is gone; only a
          // missing source means someone else moved the record.
          if (attempt < MOVE_ATTEMPTS && (await exists(pathOf(id, 'live')))) continue
          return false
        }
        await fsyncPath(dirOf(to))
        await fsyncPath(dirOf('live'))
        return true
      }
    },

    async locate(id) {
      for (const state of RECORD_STATES) if (await exists(pathOf(id, state))) return state
      return undefined
    },

    async read(id, state) {
      try {
        return parseRecord(await readFile(pathOf(id, state), 'utf8'))
      } catch (err) {
        if (errnoOf(err) === 'ENOENT') return undefined
        throw err
      }
    },

    async readAll(onUnreadable) {
      const byId = new Map<string, StoredRecord>()
      // One state at a time, in RECORD_STATES order: a record renamed out of `live/` after its
      // directory was listed is then found in the later listing instead of being missed.
      for (const state of RECORD_STATES) {
        let names: string[]
        try {
          names = await readdir(dirOf(state))
        } catch (err) {
          if (errnoOf(err) === 'ENOENT') continue
          throw err
        }
        for (const name of names.sort()) {
          const id = RECORD_NAME.exec(name)?.[1]
          if (id === undefined) continue
          let text: string
          try {
            text = await readFile(join(dirOf(state), name), 'utf8')
          } catch (err) {
            if (errnoOf(err) === 'ENOENT') continue
            throw err
          }
          const record = parseRecord(text)
          if (record === undefined || record.id !== id) onUnreadable(join(dirOf(state), name))
          else byId.set(id, { record, state })
        }
      }
      return [...byId.values()]
    },
  }
}
