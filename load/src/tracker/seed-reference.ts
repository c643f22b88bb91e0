/**
 * The figures of the seed's Go harness (the system this workspace re-implements), measured at
 * 50 connections against 100k workers, kept as the reference row under the c=50 table. Only
 * what the seed published is here; anything else renders as "—". Its surge and playbook
 * scenarios failed almost always because of a bug in its HNSW library; its 1,115 scenarios/s
 * fell to 438/s once that was fixed.
 */

export interface SeedFigures {
  readonly p50_ms?: number
  readonly p99_ms?: number
  readonly fail_pct?: number
  readonly note?: string
}

export const SEED_REFERENCE = {
  label: 'Go (seed harness, conc=50, 100k workers)',
  tier: 50,
  all: { scenarios_per_s: 1115, after_fix_per_s: 438, fail_pct: 0 },
  scenarios: {
    cold_search_email: { p50_ms: 2.2, p99_ms: 8.6, fail_pct: 0 },
    profile_swap: { p50_ms: 4.5, fail_pct: 0 },
    repeat_cache: { p50_ms: 11.7, fail_pct: 0 },
    sms_validate: { fail_pct: 0 },
    surge_fill_validate: { fail_pct: 98.8 },
    playbook_record_replay: { fail_pct: 96.8, note: 'a bug in its HNSW library' },
  } as Readonly<Record<string, SeedFigures>>,
} as const
