import { isAbsolute, join, resolve } from 'node:path'
import { provisionProblem } from './failure.ts'

export type DataDirSource = 'flag' | 'LAKEHOUSE_DATA_DIR' | 'XDG_DATA_HOME' | 'home'

export interface ResolveDataDirInput {
  /** `--data-dir` as given on the command line. */
  readonly flag?: string
  /** The process environment, passed in by the app (packages never read the environment themselves). */
  readonly env: Readonly<Record<string, string | undefined>>
  /** `os.homedir()`, passed in by the app. */
  readonly homedir: string
  /** Base for relative values; defaults to the process working directory (what path.resolve uses). */
  readonly cwd?: string
}

export interface ResolvedDataDir {
  /** Absolute and normalised. */
  readonly path: string
  readonly source: DataDirSource
}

/** The app's name under the XDG data directories. */
export const DATA_DIR_NAME = 'lakehouse'

// An empty or blank value is what `VAR= cmd` or an unset template variable in a unit file
// produces; treating it as "use the next level" matches the XDG spec and the shell's ${VAR:-…}.
function given(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== ''
}

function absolute(value: string, input: ResolveDataDirInput): string {
  // `--data-dir=~/x` and `LAKEHOUSE_DATA_DIR=~/x` in a unit file reach us unexpanded (the shell
  // only expands a leading ~ of a word); a directory literally named `~` is never what was meant.
  const expanded = value === '~' ? input.homedir : value.startsWith('~/') ? join(input.homedir, value.slice(2)) : value
  return input.cwd === undefined ? resolve(expanded) : resolve(input.cwd, expanded)
}

/**
 * Resolves the state directory: explicit flag → LAKEHOUSE_DATA_DIR → $XDG_DATA_HOME/lakehouse
 * → <homedir>/.local/share/lakehouse. Pure: reads nothing but its input, touches no disk.
 *
 * Relative flag and LAKEHOUSE_DATA_DIR values resolve against `cwd`. A relative
 * XDG_DATA_HOME is ignored, as the XDG Base Directory spec requires ("If an implementation
 * encounters a relative path in any of these variables it should consider the path invalid
 * and ignore it"), so resolution falls through to the home directory.
 */
export function resolveDataDir(input: ResolveDataDirInput): ResolvedDataDir {
  if (given(input.flag)) return Object.freeze({ path: absolute(input.flag, input), source: 'flag' })
  const explicit = input.env.LAKEHOUSE_DATA_DIR
  if (given(explicit)) return Object.freeze({ path: absolute(explicit, input), source: 'LAKEHOUSE_DATA_DIR' })
  const xdg = input.env.XDG_DATA_HOME
  if (given(xdg) && isAbsolute(xdg)) return Object.freeze({ path: resolve(xdg, DATA_DIR_NAME), source: 'XDG_DATA_HOME' })
  if (!given(input.homedir)) {
    throw provisionProblem('PROVISION_DATA_DIR_UNRESOLVED', {
      what: 'no data directory: --data-dir, LAKEHOUSE_DATA_DIR and XDG_DATA_HOME are unset and the home directory is empty',
      path: '',
      fix: 'pass --data-dir <dir>, set LAKEHOUSE_DATA_DIR=<dir>, or run with HOME set',
    })
  }
  const home = input.cwd === undefined ? resolve(input.homedir) : resolve(input.cwd, input.homedir)
  return Object.freeze({ path: join(home, '.local', 'share', DATA_DIR_NAME), source: 'home' })
}
