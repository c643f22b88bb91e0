export { LIST_SEPARATOR, WORKER_COLUMNS, type WorkerColumn, type WorkerRow } from './columns.ts'
export { CSV_HEADER, CSV_LINE_ENDING, csvField, formatScore, workerCsvRecord } from './csv.ts'
export { FIRST_NAMES, LAST_NAMES } from './names.ts'
export { type CorpusOptions, type CorpusOptionsInput, corpusDefaults, MAX_CORPUS_ROWS, resolveCorpusOptions } from './options.ts'
export { PLACES, type Place } from './places.ts'
export { RESUME_NEWLINE_RATE, RESUME_QUOTE_RATE } from './resume.ts'
export { ROLE_SPECS, ROLE_WEIGHT_TOTAL, ROLES, type RoleSpec } from './roles.ts'
export { CHUNK_CHARS, generateWorkers } from './stream.ts'
export { generateWorkerRows, MIN_ID_DIGITS, workerId } from './worker.ts'
export {
  type CorpusProgress,
  PROGRESS_INTERVAL_MS,
  type WriteWorkersCsvOptions,
  type WriteWorkersCsvResult,
  writeWorkersCsv,
} from './write-file.ts'
