/**
 * The run's size and seed, from the environment (docs/fuzz.md):
 * - `FUZZ_RUNS` — generated HTTP requests per runtime (default 10,000: the CI run);
 * - `FUZZ_RAW_RUNS` — generated raw-socket exchanges per runtime (default 600);
 * - `FUZZ_SEED` — replay a run: the same seed and counts generate the same requests in the same order;
 * - `FUZZ_SHRINK=1` — stop at the first new failure and let fast-check shrink it to a minimal request;
 * - `FUZZ_REPORT=path` — append the grouped findings to that Markdown file.
 */
function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name}=${raw}: expected a positive integer`)
  return n
}

function seed(): number {
  const raw = process.env.FUZZ_SEED
  if (raw === undefined || raw === '') return (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0
  const n = Number(raw)
  if (!Number.isSafeInteger(n)) throw new Error(`FUZZ_SEED=${raw}: expected an integer`)
  return n | 0
}

export const FUZZ = Object.freeze({
  runs: positiveInt('FUZZ_RUNS', 10_000),
  rawRuns: positiveInt('FUZZ_RAW_RUNS', 600),
  seed: seed(),
  shrink: process.env.FUZZ_SHRINK === '1',
})

/** How to replay this run, for failure messages. */
export function replayHint(runs: number, name: 'FUZZ_RUNS' | 'FUZZ_RAW_RUNS'): string {
  return `seed ${FUZZ.seed} — replay with FUZZ_SEED=${FUZZ.seed} ${name}=${runs}`
}
