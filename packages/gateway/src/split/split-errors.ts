import { defineErrors } from '@lakehouse/kit'

/** What a split deployment adds: an upstream that cannot be reached, and the internal seam routes' refusals. */
export const splitErrors = defineErrors('split', {
  GATEWAY_UPSTREAM_UNAVAILABLE: {
    status: 502,
    title: 'Upstream Unavailable',
    description:
      'The component runs in another process (`--upstream name=URL`) and it could not be reached or broke the connection; `Retry-After` says when to try again.',
  },
  GATEWAY_UPSTREAM_TIMEOUT: {
    status: 504,
    title: 'Upstream Timeout',
    description: 'The component runs in another process and it did not answer within the upstream timeout.',
  },
  GATEWAY_SEAM_FORBIDDEN: {
    status: 403,
    title: 'Internal Route',
    description:
      '`/internal/v1/…` is how the processes of a split deployment call each other; it needs the service token (`LAKEHOUSE_SERVICE_TOKEN`), not an API token.',
  },
  GATEWAY_SEAM_UNKNOWN: {
    status: 404,
    title: 'Unknown Seam',
    description: 'No component in this process serves that internal seam or method.',
  },
  GATEWAY_SEAM_BAD_CALL: {
    status: 400,
    title: 'Bad Seam Call',
    description: 'An internal seam call whose body is not `{"args": [...]}` JSON with the arguments the method takes.',
  },
})
