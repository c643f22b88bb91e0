import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { configError, type Logger } from '@lakehouse/kit'

/**
 * Creates `dir` and empties it: scratch files a crash left behind belong to no live write.
 * Synchronous because it runs once at open, where a bad path should fail the boot.
 */
export function prepareScratchDir(dir: string, configKey: string, logger: Logger): void {
  try {
    mkdirSync(dir, { recursive: true })
    const leftovers = readdirSync(dir)
    for (const name of leftovers) rmSync(`${dir}/${name}`, { recursive: true, force: true })
    if (leftovers.length > 0)
      logger.warn('removed scratch files left by an interrupted write', { component: 'storage', count: leftovers.length })
  } catch (err) {
    const code = (err as { code?: unknown }).code
    configError(configKey, `cannot prepare ${dir}: ${typeof code === 'string' ? code : String(err)}`)
  }
}
