import { createRouter, type Handler, JSON_CONTENT_TYPE, jsonBodyLimits, readJsonBody } from '@lakehouse/kit'
import type { EmbedConfig } from './config.ts'
import type { EmbedCore } from './embed.ts'
import { embedRequestParser } from './request-shape.ts'
import { embedRouteDoc } from './route-docs.ts'
import type { EmbedResult } from './types.ts'

/** Where the gateway mounts embed; the route is registered on its full path because requests arrive untouched. */
export const EMBED_MOUNT = '/v1/embed'

/**
 * `{model, dim, vectors}` as JSON text. Built by hand because JSON.stringify turns a
 * Float32Array into an object ({"0": …}) and a copy into number[] per vector would double the
 * garbage. TypedArray join writes each element with Number::toString — the shortest text that
 * round-trips the float64 value of the float32 — which ECMA-262 fixes exactly, so Node and
 * Bun emit identical bytes. Values are finite (checked when the vectors were made).
 */
export function encodeEmbedResult(result: EmbedResult): string {
  const parts = new Array<string>(result.vectors.length)
  for (let i = 0; i < result.vectors.length; i++) parts[i] = `[${(result.vectors[i] as Float32Array).join(',')}]`
  return `{"model":${JSON.stringify(result.model)},"dim":${result.dim},"vectors":[${parts.join(',')}]}`
}

export function createEmbedHandler(core: EmbedCore, config: Readonly<EmbedConfig>): Handler {
  const limits = jsonBodyLimits(config)
  const parseEmbedRequest = embedRequestParser(config)
  return createRouter()
    .post(EMBED_MOUNT, embedRouteDoc(parseEmbedRequest), async ({ req }) => {
      const { texts, model } = parseEmbedRequest(await readJsonBody(req, limits))
      const result = await core.embed(texts, model)
      return new Response(encodeEmbedResult(result), { status: 200, headers: { 'content-type': JSON_CONTENT_TYPE } })
    })
    .build()
}
