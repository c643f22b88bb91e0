import { LIST_SEPARATOR, WORKER_COLUMNS, type WorkerRow } from './columns.ts'

/**
 * RFC 4180 encoding only (this package writes CSV, it never reads it). Records end in LF, not
 * the RFC's CRLF: every reader we feed (DuckDB, Python's csv, Node stream parsers) accepts
 * both, and LF keeps byte counts and hashes identical to what `wc -l` and diff tools expect.
 */

export const CSV_LINE_ENDING = '\n'

export const CSV_HEADER = WORKER_COLUMNS.join(',') + CSV_LINE_ENDING

const NEEDS_QUOTES = /[",\r\n]/

/** Quoted only when RFC 4180 requires it (comma, double quote, CR or LF); quotes are doubled. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * Two decimals from integer hundredths, never Number#toFixed on a product: `0.57 * 100` is
 * 56.99999999999999, and formatting from the integer sidesteps that class of drift entirely.
 */
export function formatScore(score: number): string {
  const hundredths = Math.round(score * 100)
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`
}

/** One CSV record for a worker, line ending included. Every text field goes through csvField. */
export function workerCsvRecord(row: WorkerRow): string {
  const fields = [
    row.worker_id,
    row.name,
    row.email,
    row.phone,
    row.role,
    row.city,
    row.state,
    row.skills.join(LIST_SEPARATOR),
    row.certifications.join(LIST_SEPARATOR),
    String(row.years_experience),
    formatScore(row.reliability_score),
    row.resume_text,
  ]
  return fields.map(csvField).join(',') + CSV_LINE_ENDING
}
