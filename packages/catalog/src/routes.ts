import { createRouter, type Handler, jsonBodyLimits, jsonResponse, quoteCallerText, readJsonBody } from '@lakehouse/kit'
import { type CatalogCore, versionView } from './catalog.ts'
import type { CatalogConfig } from './config.ts'
import { catalogErrors } from './errors.ts'
import { isDatasetName } from './identity.ts'
import { invalidNameProblem, registerBodyCheck } from './register-input.ts'
import { catalogRouteDocs } from './route-docs.ts'
import { parseVersionId } from './versions.ts'

/** Where the gateway mounts the catalog; routes are registered on full paths because requests arrive untouched. */
export const CATALOG_MOUNT = '/v1/catalog'
const DATASETS = `${CATALOG_MOUNT}/datasets`

/** The escape grant a request carries (`Lakehouse-Grant`); packages/grants owns the header, the gateway passes its reader. */
export type GrantOf = (req: Request) => string | undefined

export function createCatalogHandler(catalog: CatalogCore, config: Readonly<CatalogConfig>, grantOf: GrantOf = () => undefined): Handler {
  const limits = jsonBodyLimits(config)
  /** A name that could never be registered is the caller's mistake (400), not a miss (404). */
  const checkedName = (name: string) => {
    if (!isDatasetName(name)) throw invalidNameProblem(name)
    return name
  }
  const docs = catalogRouteDocs(registerBodyCheck(config))
  const notFound = (name: string) => catalogErrors.problem('CATALOG_NOT_FOUND', { detail: `no dataset named ${quoteCallerText(name)}` })
  return createRouter()
    .get(DATASETS, docs.list, () => jsonResponse({ datasets: catalog.list() }))
    .post(DATASETS, docs.register, async ({ req }) => {
      const result = await catalog.registerUnknown(await readJsonBody(req, limits))
      if (result.status === 'existing') return jsonResponse(result.manifest, 200)
      return jsonResponse(result.manifest, 201, { location: `${DATASETS}/${result.manifest.name}` })
    })
    .get(`${DATASETS}/:name`, docs.get, ({ param }) => {
      const name = checkedName(param('name'))
      const manifest = catalog.get(name)
      if (manifest === undefined) throw notFound(name)
      return jsonResponse({ ...manifest, stale_indexes: catalog.staleIndexes(name) })
    })
    .get(`${DATASETS}/:name/versions`, docs.versions, ({ param }) => {
      const name = checkedName(param('name'))
      const manifest = catalog.get(name)
      const versions = catalog.versions(name)
      if (manifest === undefined || versions === undefined) throw notFound(name)
      return jsonResponse({ name, live_version: manifest.version, versions: versions.map((v) => versionView(v, manifest.version)) })
    })
    .post(`${DATASETS}/:name/versions/:version/restore`, docs.restore, async ({ req, param }) => {
      const name = checkedName(param('name'))
      const text = param('version')
      const version = parseVersionId(text)
      if (version === undefined) {
        throw catalogErrors.problem('CATALOG_INVALID_VERSION', {
          detail: `version ${quoteCallerText(text)} is not a version id (a positive integer, as GET ${DATASETS}/${name}/versions lists them)`,
        })
      }
      const grant = grantOf(req)
      const result = await catalog.restore(name, version, grant === undefined ? {} : { grant })
      const { manifest, ...rest } = result
      return jsonResponse({ ...manifest, ...rest, stale_indexes: catalog.staleIndexes(name) })
    })
    .build()
}
