import { createRouter, type Handler, type JsonBodyLimits, jsonResponse, readJsonBody } from '@lakehouse/kit'
import type { CatalogCore } from './catalog.ts'
import type { CatalogConfig } from './config.ts'
import { catalogErrors } from './errors.ts'
import { isDatasetName } from './identity.ts'
import { invalidNameProblem, quoted } from './register-input.ts'

/** Where the gateway mounts the catalog; routes are registered on full paths because requests arrive untouched. */
export const CATALOG_MOUNT = '/v1/catalog'
const DATASETS = `${CATALOG_MOUNT}/datasets`

export function createCatalogHandler(catalog: CatalogCore, config: Readonly<CatalogConfig>): Handler {
  const limits: JsonBodyLimits = { maxBytes: config.maxBodyBytes, maxDepth: config.maxJsonDepth }
  return createRouter()
    .get(DATASETS, () => jsonResponse({ datasets: catalog.list() }))
    .post(DATASETS, async ({ req }) => {
      const result = await catalog.registerUnknown(await readJsonBody(req, limits))
      if (result.status === 'existing') return jsonResponse(result.manifest, 200)
      return jsonResponse(result.manifest, 201, { location: `${DATASETS}/${result.manifest.name}` })
    })
    .get(`${DATASETS}/:name`, ({ param }) => {
      const name = param('name')
      // A name that could never be registered is the caller's mistake (400), not a miss (404).
      if (!isDatasetName(name)) throw invalidNameProblem(name)
      const manifest = catalog.get(name)
      if (manifest === undefined) throw catalogErrors.problem('CATALOG_NOT_FOUND', { detail: `no dataset named ${quoted(name)}` })
      return jsonResponse(manifest)
    })
    .build()
}
