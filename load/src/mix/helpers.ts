import type { TemplateHelpers } from '@lakehouse/parity'
import type { Random } from '../flow/random.ts'

/** The per-iteration counter every scenario can use as `{{iteration}}` (1-based, global to the run). */
export const ITERATION_VAR = 'iteration'

/** `{{pick pool}}`: one value of a mix pool; `{{int min max}}`: an integer in [min, max]. */
export const HELPER_NAMES: readonly string[] = ['pick', 'int']

export function createHelpers(pools: Readonly<Record<string, readonly unknown[]>>, random: Random): TemplateHelpers {
  return {
    pick: ([pool = '']) => {
      const values = pools[pool] ?? []
      return values[random.int(0, values.length - 1)]
    },
    int: ([min = '0', max = '0']) => random.int(Number(min), Number(max)),
  }
}
