import { defineErrors } from '@lakehouse/kit'

export const matrixErrors = defineErrors('matrix', {
  MATRIX_CORPUS_NOT_FOUND: {
    status: 404,
    title: 'Corpus Not Found',
    description: 'A corpus named by the request (or the default corpus) is not an existing vector index; `corpus` names it.',
  },
  MATRIX_CORPUS_INCOMPATIBLE: {
    status: 409,
    title: 'Corpora Not Comparable',
    description:
      'The corpora of one search use different metrics (their scores cannot be merged), or a corpus model embeds to a different dimension than its index holds.',
  },
  MATRIX_PLAYBOOK_INDEX_INVALID: {
    status: 500,
    title: 'Playbook Index Invalid',
    description:
      'Boot-time: the configured playbook index exists but is not a `cos` index, so stored playbook similarities would be meaningless. Drop it or configure another name.',
  },
  MATRIX_UNAVAILABLE: {
    status: 503,
    title: 'Matrix Service Closed',
    description: 'The matrix service is shutting down and accepts no more searches or records.',
  },
})

export type MatrixErrorCode = keyof typeof matrixErrors.specs
