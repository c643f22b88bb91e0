export { DATA_DIR_NAME, type DataDirSource, type ResolveDataDirInput, type ResolvedDataDir, resolveDataDir } from './data-dir.ts'
export { type DoctorCheck, type DoctorReport, type InspectOptions, inspectDataDir } from './doctor.ts'
export { type ProvisionErrorCode, provisionErrors } from './errors.ts'
export { formatProvisionFailure, PROVISION_EXIT_CODE } from './failure-message.ts'
export {
  DATA_DIR_SUBDIRS,
  type DataLayout,
  DIR_MODE,
  dataLayout,
  KEY_MAX_BYTES,
  KEY_MODE,
  KEY_PATTERN,
  PROBE_SUBDIR,
  SECRET_KEY_FILE,
  SERVER_LOCK_FILE,
} from './layout.ts'
export { type ProvisionOptions, type ProvisionReport, provision } from './provision.ts'
export { KEY_POLICIES, type KeyPolicy, type KeyReport } from './secret-key.ts'
