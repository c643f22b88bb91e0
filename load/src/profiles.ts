/**
 * Named run shapes. `quick` is the default: a few minutes in all on a laptop or CI box.
 * `full` is the seed's run: 100k workers, five minutes at concurrency 50 per target.
 */
export interface Profile {
  readonly rows: number
  readonly tiers: readonly number[]
  readonly rounds: number
  readonly durationS: number
  readonly warmupS: number
}

export const PROFILES: Readonly<Record<string, Profile>> = {
  // 4 rounds: the fewest for which the rank test can reach p < 0.05 (3 vs 3 cannot go below 0.1).
  quick: { rows: 20_000, tiers: [10, 50], rounds: 4, durationS: 10, warmupS: 5 },
  full: { rows: 100_000, tiers: [50], rounds: 5, durationS: 60, warmupS: 15 },
}
