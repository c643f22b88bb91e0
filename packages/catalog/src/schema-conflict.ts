import { replaceScope } from '@lakehouse/grants/contract'
import type { Problem } from '@lakehouse/kit'
import { catalogErrors } from './errors.ts'
import type { DatasetManifest } from './types.ts'

/**
 * 409 CATALOG_SCHEMA_CONFLICT: `current` is registered with another fingerprint than
 * `attempted`, and `what` (replacing it, restoring a version) takes a replace grant. The
 * catalog raises it from register and restore; ingest raises the same problem itself before it
 * writes the object, because a drifting upload must never touch storage (the seed's C-DRIFT).
 */
export function schemaConflictProblem(current: DatasetManifest, attempted: string, what: string): Problem {
  return catalogErrors.problem('CATALOG_SCHEMA_CONFLICT', {
    detail: `dataset ${current.name} is registered with fingerprint ${current.fingerprint}, not ${attempted}; ${what} takes an escape grant for scope ${replaceScope(current.name)} (Lakehouse-Grant header)`,
    extensions: {
      name: current.name,
      dataset_id: current.dataset_id,
      existing_fingerprint: current.fingerprint,
      attempted_fingerprint: attempted,
    },
  })
}
