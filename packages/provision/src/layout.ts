/**
 * The shape of a data directory. Later components append their subdirectory to
 * DATA_DIR_SUBDIRS (e.g. 'vector'), and provisioning and `lakehouse doctor` pick it up.
 */
export const DATA_DIR_SUBDIRS: readonly string[] = ['journal', 'grants', 'tmp', 'objects', 'cache', 'vector']

/** Where the writability probe is written: scratch space, so a leftover probe after a crash is harmless. */
export const PROBE_SUBDIR = 'tmp'

/** HMAC key for grants, relative to the data directory. */
export const SECRET_KEY_FILE = 'secret.key'

/** New directories are private to the owner: the tree holds the secret key and every component's state. */
export const DIR_MODE = 0o700

/** The only mode a secret key may have; anything else is repaired or refused. */
export const KEY_MODE = 0o600

/** 32 random bytes as lowercase hex, optionally newline-terminated (what `provision` writes). */
export const KEY_PATTERN = /^[0-9a-f]{64}\n?$/

/** Longest valid key file in bytes (64 hex chars + newline); reading stops one byte past it. */
export const KEY_MAX_BYTES = 65
