import { defineErrors } from '@lakehouse/kit'

export const draftErrors = defineErrors('draft', {
  DRAFT_UNKNOWN_MODEL: {
    status: 400,
    title: 'Unknown Model',
    description:
      'The model has no route: its prefix is not `local/`, `ollama/` or `openai/`, the built-in model does not exist, or that provider is not configured.',
  },
  DRAFT_WORKER_NOT_FOUND: {
    status: 404,
    title: 'Worker Not Found',
    description: 'No worker with this `worker_id` exists in the workers dataset (or the dataset has not been ingested yet).',
  },
  DRAFT_FAILED_VALIDATION: {
    status: 422,
    title: 'Draft Failed Validation',
    description:
      "The drafted message did not pass the validator (e.g. a provider wrote an SSN-shaped number, a `{{placeholder}}` or an SMS too long); `errors` carries the validator's entries and the draft itself is withheld.",
  },
})

export type DraftErrorCode = keyof typeof draftErrors.specs
