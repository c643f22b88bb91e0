import { defineErrors } from '@lakehouse/kit'
import { SERVER_LOCK_FILE } from './layout.ts'

/**
 * Provisioning runs at boot, before any request is served, so every code is a 500: it is the
 * operator's environment that is wrong, never a client's input. Apps print
 * `formatProvisionFailure(problem)` and exit with PROVISION_EXIT_CODE.
 */
export const provisionErrors = defineErrors('provision', {
  PROVISION_DATA_DIR_UNRESOLVED: {
    status: 500,
    title: 'Data Directory Unresolved',
    description: 'No data directory could be resolved: no --data-dir, LAKEHOUSE_DATA_DIR or XDG_DATA_HOME, and no home directory.',
  },
  PROVISION_NOT_A_DIRECTORY: {
    status: 500,
    title: 'Data Path Is Not a Directory',
    description: 'The data directory, one of its subdirectories or one of its parents exists but is a file (or a dangling link).',
  },
  PROVISION_UNWRITABLE: {
    status: 500,
    title: 'Data Directory Not Writable',
    description:
      'The process may not create, write or read an entry of the data directory (EACCES, EPERM, EROFS): wrong owner or mode, an immutable flag, or a read-only filesystem.',
  },
  PROVISION_NO_SPACE: {
    status: 500,
    title: 'No Space for the Data Directory',
    description: 'The filesystem holding the data directory is full or over quota (ENOSPC, EDQUOT).',
  },
  PROVISION_KEY_PERMISSIVE: {
    status: 500,
    title: 'Secret Key Mode Is Not 0600',
    description:
      'The secret key has a mode other than 0600 and keyPolicy is `refuse`, or the repair (chmod 0600) itself failed; the file is left as it was.',
  },
  PROVISION_KEY_INVALID: {
    status: 500,
    title: 'Secret Key Invalid',
    description:
      'The secret key is not a regular file (a symlink, directory, FIFO …) or does not hold 64 lowercase hex characters and an optional newline.',
  },
  PROVISION_DATA_DIR_IN_USE: {
    status: 500,
    title: 'Data Directory In Use',
    description: `Another \`lakehouse serve\` (either runtime) holds the kernel lock on \`<data dir>/${SERVER_LOCK_FILE}\`: one data directory has one server. \`pid\` names the holder (from the lock file). The lock dies with its process, so a crashed server never blocks a restart.`,
  },
  PROVISION_FAILED: {
    status: 500,
    title: 'Provisioning Failed',
    description: 'Any other I/O failure while provisioning the data directory; `detail` names the path and the errno.',
  },
})

export type ProvisionErrorCode = keyof typeof provisionErrors.specs
