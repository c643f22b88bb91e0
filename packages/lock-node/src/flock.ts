import { createRequire } from 'node:module'

interface FsExt {
  flockSync(fd: number, flags: 'exnb' | 'un'): void
}

// fs-ext is a CommonJS native addon; it loads on Node only (docs/runtime-facts.md: it does not load in Bun).
const fsExt = createRequire(import.meta.url)('fs-ext') as FsExt

/**
 * flock(2) on Node through fs-ext. Same syscall as the Bun implementation, so a Node and a Bun
 * process lock the same store against each other. Non-blocking: the journal polls with backoff
 * so the event loop never sleeps inside the kernel.
 */
export function createNodeFileLock(): { tryLock(fd: number): boolean; unlock(fd: number): void } {
  return {
    tryLock(fd) {
      try {
        fsExt.flockSync(fd, 'exnb')
        return true
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return false
        throw err
      }
    },
    unlock(fd) {
      fsExt.flockSync(fd, 'un')
    },
  }
}
