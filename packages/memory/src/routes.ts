import { createRouter, type Handler, jsonBodyLimits, jsonResponse, readJsonBody } from '@lakehouse/kit'
import type { MemoryConfig } from './config.ts'
import { memoryErrors } from './errors.ts'
import { checkUid, memoryBodyChecks } from './input.ts'
import type { MemoryCore } from './memory.ts'
import { memoryRouteDocs } from './route-docs.ts'

/** Where the gateway mounts memory; routes are registered on full paths because requests arrive untouched. */
export const MEMORY_MOUNT = '/v1/memory'
const TRACES = `${MEMORY_MOUNT}/traces`
const TRACE = `${TRACES}/:uid`

export function createMemoryHandler(memory: MemoryCore, config: Readonly<MemoryConfig>): Handler {
  const limits = jsonBodyLimits(config)
  // The uid is checked before the body is read, so a request for a trace that cannot exist
  // answers 400 MEMORY_INVALID_UID whatever its body holds.
  const uidOf = (param: (name: string) => string) => checkUid(param('uid'))
  // The same compiled checks memory runs on these bodies (compiled once per config).
  const docs = memoryRouteDocs(memoryBodyChecks(config))
  return createRouter()
    .post(TRACES, docs.add, async ({ req }) => {
      const result = await memory.add(await readJsonBody(req, limits))
      if (result.status === 'existing') return jsonResponse(result.trace, 200)
      return jsonResponse(result.trace, 201, { location: `${TRACES}/${result.trace.uid}` })
    })
    .get(TRACE, docs.get, ({ param }) => {
      const uid = uidOf(param)
      const trace = memory.get(uid)
      if (trace === undefined) throw memoryErrors.problem('MEMORY_NOT_FOUND', { detail: `no trace has uid ${uid}` })
      return jsonResponse(trace)
    })
    .on('PATCH', TRACE, docs.update, async ({ req, param }) => {
      const uid = uidOf(param)
      return jsonResponse(await memory.update(uid, await readJsonBody(req, limits)))
    })
    .post(`${TRACE}/revise`, docs.revise, async ({ req, param }) => {
      const uid = uidOf(param)
      const trace = await memory.revise(uid, await readJsonBody(req, limits))
      return jsonResponse(trace, 201, { location: `${TRACES}/${trace.uid}` })
    })
    .post(`${TRACE}/retire`, docs.retire, async ({ param }) => jsonResponse(await memory.retire(uidOf(param))))
    .get(`${TRACE}/history`, docs.history, ({ param }) => jsonResponse(memory.history(uidOf(param))))
    .post(`${MEMORY_MOUNT}/search`, docs.search, async ({ req }) => jsonResponse(memory.search(await readJsonBody(req, limits))))
    .get(`${MEMORY_MOUNT}/stats`, docs.stats, () => jsonResponse(memory.stats()))
    .build()
}
