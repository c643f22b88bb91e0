import { join } from 'node:path'

/** The top-level subdirectories of a data directory, by what lives in them. */
const SUBDIR = {
  /** One journal store per stateful component: `journal/<component>/`. */
  journal: 'journal',
  grants: 'grants',
  /** Scratch space (ingest uploads, the writability probe); emptied freely. */
  tmp: 'tmp',
  /** The filesystem object store's root. */
  objects: 'objects',
  /** The S3 object store's download cache. */
  cache: 'cache',
  vector: 'vector',
} as const

/**
 * The shape of a data directory: provisioning creates and `lakehouse doctor` checks these. A
 * component that needs a directory of its own adds it to SUBDIR and to `dataLayout`.
 */
export const DATA_DIR_SUBDIRS: readonly string[] = Object.values(SUBDIR)

/** Where the writability probe is written: scratch space, so a leftover probe after a crash is harmless. */
export const PROBE_SUBDIR = SUBDIR.tmp

/** HMAC key for grants, relative to the data directory. */
export const SECRET_KEY_FILE = 'secret.key'

/** The file whose kernel lock says "a server runs on this data directory" (host's lockDataDir). */
export const SERVER_LOCK_FILE = 'server.lock'

/** Where everything lives inside the data directory `dataDir`: the one place paths are built from. */
export function dataLayout(dataDir: string) {
  return {
    root: dataDir,
    objects: join(dataDir, SUBDIR.objects),
    cache: join(dataDir, SUBDIR.cache),
    ingestTmp: join(dataDir, SUBDIR.tmp, 'ingest'),
    vector: join(dataDir, SUBDIR.vector),
    /** The directory holding every component's journal store. */
    journals: join(dataDir, SUBDIR.journal),
    /** The journal store of one component: `journal/<component>/`. */
    journal: (component: string) => join(dataDir, SUBDIR.journal, component),
    grants: join(dataDir, SUBDIR.grants),
    secretKey: join(dataDir, SECRET_KEY_FILE),
    serverLock: join(dataDir, SERVER_LOCK_FILE),
  }
}

export type DataLayout = ReturnType<typeof dataLayout>

/** New directories are private to the owner: the tree holds the secret key and every component's state. */
export const DIR_MODE = 0o700

/** The only mode a secret key may have; anything else is repaired or refused. */
export const KEY_MODE = 0o600

/** 32 random bytes as lowercase hex, optionally newline-terminated (what `provision` writes). */
export const KEY_PATTERN = /^[0-9a-f]{64}\n?$/

/** Longest valid key file in bytes (64 hex chars + newline); reading stops one byte past it. */
export const KEY_MAX_BYTES = 65
