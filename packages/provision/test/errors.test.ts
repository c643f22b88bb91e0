import { open } from 'node:fs/promises'
import { errorRows, Problem } from '@lakehouse/kit'
import { describe, expect, it } from 'vitest'
import { codeForErrno, fixForErrno, fsFailure, step, withCleanup } from '../src/failure.ts'
import { formatProvisionFailure, PROVISION_EXIT_CODE, provisionErrors } from '../src/index.ts'

function sysError(code: string, message = `${code}: something, open '/x'`): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code })
}

describe('provisionErrors', () => {
  it('pins the codes: boot failures, status 500, each described', () => {
    expect(Object.keys(provisionErrors.specs).sort()).toEqual([
      'PROVISION_DATA_DIR_IN_USE',
      'PROVISION_DATA_DIR_UNRESOLVED',
      'PROVISION_FAILED',
      'PROVISION_KEY_INVALID',
      'PROVISION_KEY_PERMISSIVE',
      'PROVISION_NOT_A_DIRECTORY',
      'PROVISION_NO_SPACE',
      'PROVISION_UNWRITABLE',
    ])
    for (const row of errorRows([provisionErrors])) {
      expect(row.component).toBe('provision')
      expect(row.status).toBe(500)
      expect(row.description.length).toBeGreaterThan(20)
      expect(row.description).not.toContain('\n')
    }
  })

  it('exits with 2', () => {
    expect(PROVISION_EXIT_CODE).toBe(2)
  })
})

describe('fsFailure', () => {
  it.each([
    ['EACCES', 'PROVISION_UNWRITABLE'],
    ['EPERM', 'PROVISION_UNWRITABLE'],
    ['EROFS', 'PROVISION_UNWRITABLE'],
    ['ENOSPC', 'PROVISION_NO_SPACE'],
    ['EDQUOT', 'PROVISION_NO_SPACE'],
    ['ENOTDIR', 'PROVISION_NOT_A_DIRECTORY'],
    ['EIO', 'PROVISION_FAILED'],
    [undefined, 'PROVISION_FAILED'],
  ])('maps %s to %s', (errno, code) => {
    expect(codeForErrno(errno)).toBe(code)
  })

  it('names the path, the errno and the fix, keeps the cause and sets extensions', () => {
    const cause = sysError('EROFS')
    const problem = fsFailure('cannot create directory', '/srv/lh/journal', cause, '/srv/lh')
    expect(problem).toBeInstanceOf(Problem)
    expect(problem.code).toBe('PROVISION_UNWRITABLE')
    expect(problem.detail).toBe(
      'cannot create directory /srv/lh/journal: EROFS (read-only file system) — fix: the filesystem holding /srv/lh/journal is read-only: remount it read-write, or choose another directory with --data-dir / LAKEHOUSE_DATA_DIR',
    )
    expect(problem.cause).toBe(cause)
    expect(problem.extensions).toEqual({ path: '/srv/lh/journal', fix: expect.stringContaining('remount'), errno: 'EROFS' })
  })

  it('advises chown inside the tree and creating the directory above it', () => {
    expect(fixForErrno('EACCES', '/srv/lh/tmp/p', '/srv/lh')).toContain('chown -R $(id -u):$(id -g) /srv/lh`')
    expect(fixForErrno('EACCES', '/var/lib/lh', '/var/lib/lh', '/var/lib')).toContain(
      'install -d -m 0700 -o $(id -u) -g $(id -g) /var/lib/lh`',
    )
    expect(fixForErrno('EACCES', '/var/lib/lh', '/var/lib/lh', '/var/lib')).not.toContain('chown')
    expect(fixForErrno('EPERM', '/srv/lh/j', '/srv/lh', '/srv/lh')).toContain('chattr -i /srv/lh`')
    expect(fixForErrno('ENOSPC', '/srv/lh/tmp/p', '/srv/lh')).toContain('df -h')
  })

  it('shell-quotes paths with spaces in the fix', () => {
    expect(fixForErrno('EACCES', "/srv/my lh/it's", "/srv/my lh/it's")).toContain(`chown -R $(id -u):$(id -g) '/srv/my lh/it'\\''s'`)
  })

  it('passes an existing Problem through unchanged', () => {
    const inner = fsFailure('x', '/a', sysError('EIO'), '/a')
    expect(fsFailure('y', '/b', inner, '/b')).toBe(inner)
  })

  it('reports a real ENOSPC (/dev/full) as PROVISION_NO_SPACE', async () => {
    const handle = await open('/dev/full', 'w')
    try {
      const err = await step('cannot write', '/dev/full', '/dev', () => handle.write(Buffer.from('x'))).catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'PROVISION_NO_SPACE', extensions: { path: '/dev/full', errno: 'ENOSPC' } })
    } finally {
      await handle.close()
    }
  })
})

describe('withCleanup', () => {
  it('runs the cleanup after success and after failure', async () => {
    const ran: string[] = []
    await withCleanup(
      async () => ran.push('body'),
      async () => {
        ran.push('cleanup')
      },
    )
    await expect(
      withCleanup(
        async () => {
          throw fsFailure('cannot write', '/d/f', sysError('ENOSPC'), '/d')
        },
        async () => {
          ran.push('cleanup2')
        },
      ),
    ).rejects.toMatchObject({ code: 'PROVISION_NO_SPACE' })
    expect(ran).toEqual(['body', 'cleanup', 'cleanup2'])
  })

  it('folds a failing cleanup into the primary failure instead of dropping either', async () => {
    const err = await withCleanup(
      async () => {
        throw fsFailure('cannot write', '/d/f', sysError('ENOSPC'), '/d')
      },
      async () => {
        throw fsFailure('cannot remove', '/d/f', sysError('EIO'), '/d')
      },
    ).catch((e: unknown) => e as Problem)
    expect(err.code).toBe('PROVISION_NO_SPACE')
    expect(err.detail).toContain('cannot write /d/f: ENOSPC')
    expect(err.detail).toContain('then cannot remove /d/f: EIO')
    expect(err.extensions).toMatchObject({ errno: 'ENOSPC', also: expect.stringContaining('EIO') })
  })
})

describe('formatProvisionFailure', () => {
  it('prints what failed, the path and the fix on separate lines', () => {
    const problem = fsFailure('cannot create directory', '/srv/lh', sysError('EACCES'), '/srv/lh', { blame: '/srv' })
    const text = formatProvisionFailure(problem)
    expect(text.split('\n')).toEqual([
      'lakehouse: cannot provision the data directory: Data Directory Not Writable (PROVISION_UNWRITABLE)',
      '  error: cannot create directory /srv/lh: EACCES (permission denied)',
      '  path:  /srv/lh',
      '  errno: EACCES',
      '  fix:   create it for this user: `sudo install -d -m 0700 -o $(id -u) -g $(id -g) /srv/lh`, or choose another directory with --data-dir / LAKEHOUSE_DATA_DIR',
      '',
    ])
  })

  it('still prints something useful for an error that is not a provisioning Problem', () => {
    expect(formatProvisionFailure(new TypeError('boom'))).toBe('lakehouse: cannot provision the data directory\n  error: TypeError: boom\n')
  })
})
