import { defineErrors } from '@lakehouse/kit'

/**
 * Failures of a remote model server, as seen by whoever called the provider client (embed,
 * draft). All are 5xx: the caller's request was fine, the upstream was not. Details name the
 * provider kind and path, never the base URL's credentials or the API key.
 */
export const providersErrors = defineErrors('providers', {
  PROVIDER_UNAVAILABLE: {
    status: 503,
    title: 'Provider Unavailable',
    description:
      'The model server kept answering 429/503 or could not be reached, and the retries (default 3) ran out; `Retry-After` says when to try again.',
  },
  PROVIDER_TIMEOUT: {
    status: 504,
    title: 'Provider Timeout',
    description:
      'The model server did not connect, answer or finish its body within the per-attempt timeout (default 30 s) on any attempt.',
  },
  PROVIDER_BAD_RESPONSE: {
    status: 502,
    title: 'Bad Provider Response',
    description:
      'The model server answered 2xx with something unusable: not JSON, the wrong shape, the wrong number of vectors, ragged or non-finite vectors.',
  },
  PROVIDER_REJECTED: {
    status: 502,
    title: 'Provider Rejected Request',
    description:
      'The model server refused the request with a status that retrying cannot fix (e.g. 400, 401, 404, 500); `upstream_status` carries it.',
  },
})

export type ProvidersErrorCode = keyof typeof providersErrors.specs
