import { uuidV5 } from './uuid-v5.ts'

/** Every dataset_id ever issued depends on these bytes: never change them. */
export const DATASET_NAMESPACE = 'a8f3c1d2-4e5b-5a6c-9d8e-7f0a1b2c3d4e'

/** Names become SQL view names (query), so only lower-case identifiers that need no quoting. */
export const DATASET_NAME_PATTERN = /^[a-z][a-z0-9_]{0,62}$/

export function isDatasetName(name: unknown): name is string {
  return typeof name === 'string' && DATASET_NAME_PATTERN.test(name)
}

/** UUIDv5(DATASET_NAMESPACE, name): the same name has the same id everywhere, forever. */
export function datasetIdFor(name: string): string {
  return uuidV5(DATASET_NAMESPACE, name)
}
