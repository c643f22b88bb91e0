import { uuidV5 } from './uuid-v5.ts'

// The dataset-name rule is grants' contract (a scope embeds the name; see there why it is owned
// there and not here); the catalog's modules take it through this file.
export { DATASET_NAME_PATTERN, isDatasetName } from '@lakehouse/grants/contract'

/** Every dataset_id ever issued depends on these bytes: never change them. */
export const DATASET_NAMESPACE = 'a8f3c1d2-4e5b-5a6c-9d8e-7f0a1b2c3d4e'

/** UUIDv5(DATASET_NAMESPACE, name): the same name has the same id everywhere, forever. */
export function datasetIdFor(name: string): string {
  return uuidV5(DATASET_NAMESPACE, name)
}
