import { dlopen, FFIType, toArrayBuffer } from 'bun:ffi'

// <sys/file.h> and <errno.h> on Linux.
const LOCK_EX = 2
const LOCK_NB = 4
const LOCK_UN = 8
const EWOULDBLOCK = 11

const libc = dlopen('libc.so.6', {
  flock: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  __errno_location: { args: [], returns: FFIType.ptr },
})

/** errno of the last failed call on this thread (libc returns a pointer to the thread-local int). */
function errno(): number {
  const ptr = libc.symbols.__errno_location()
  if (ptr === null) return -1
  return new Int32Array(toArrayBuffer(ptr, 0, 4))[0] ?? -1
}

/**
 * flock(2) on Bun through bun:ffi (fs-ext does not load in Bun; fs-native-extensions and os-lock
 * crash it — docs/runtime-facts.md). The same syscall as the Node implementation, so the two exclude each other.
 * Non-blocking: the journal polls with backoff so the event loop never sleeps inside the kernel.
 */
export function createBunFileLock(): { tryLock(fd: number): boolean; unlock(fd: number): void } {
  return {
    tryLock(fd) {
      if (libc.symbols.flock(fd, LOCK_EX | LOCK_NB) === 0) return true
      const e = errno()
      if (e === EWOULDBLOCK) return false
      throw Object.assign(new Error(`flock(${fd}, LOCK_EX|LOCK_NB) failed with errno ${e}`), { errno: e })
    },
    unlock(fd) {
      if (libc.symbols.flock(fd, LOCK_UN) !== 0) throw new Error(`flock(${fd}, LOCK_UN) failed with errno ${errno()}`)
    },
  }
}
