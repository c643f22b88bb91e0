import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { configError, fsyncPathSync, type Logger } from '@lakehouse/kit'
import { prepareScratchDir } from './scratch-dir.ts'

export interface FsLayout {
  readonly root: string
  /** Temp files of in-flight writes: same filesystem as the objects, so the final rename is atomic. */
  readonly tmpDir: string
  /** Etag sidecars, mirroring the object tree. */
  readonly metaRoot: string
}

export const FS_TMP_DIR = '.tmp'
export const FS_META_DIR = '.meta'

/**
 * Creates the layout and removes temp files a crash left behind (their writers were never
 * acknowledged, so nothing refers to them). Runs once at open, synchronously, so a root that
 * cannot be used fails the boot with a coded error instead of the first request. One open store
 * per root: a second process opening the same root would delete the first one's in-flight temps.
 */
export function openFsRoot(rootOption: string, logger: Logger): FsLayout {
  if (typeof rootOption !== 'string' || rootOption === '') configError('storage.fs.root', 'must be a non-empty path')
  const root = resolve(rootOption)
  const layout: FsLayout = { root, tmpDir: join(root, FS_TMP_DIR), metaRoot: join(root, FS_META_DIR) }
  prepareScratchDir(layout.tmpDir, 'storage.fs.root', logger)
  try {
    mkdirSync(layout.metaRoot, { recursive: true })
    fsyncPathSync(layout.tmpDir)
    fsyncPathSync(root)
  } catch (err) {
    const code = (err as { code?: unknown }).code
    configError('storage.fs.root', `cannot prepare ${root}: ${typeof code === 'string' ? code : String(err)}`)
  }
  return layout
}
