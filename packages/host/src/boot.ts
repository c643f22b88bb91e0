import { createGateway, type Gateway } from '@lakehouse/gateway'
import type { FileLock } from '@lakehouse/journal'
import { createLogger, isProblem, type Logger, redact } from '@lakehouse/kit'
import { formatProvisionFailure, PROVISION_EXIT_CODE, provision, resolveDataDir } from '@lakehouse/provision'
import { createInMemoryWorkerLookup } from '@lakehouse/validator'
import { lockDataDir } from './data-dir-lock.ts'
import { type Env, resolveServeSettings, SERVE_USAGE, type ServeSettings } from './serve-settings.ts'
import { readWorkerIds } from './worker-ids.ts'

export interface BootOptions {
  readonly argv: readonly string[]
  readonly env: Env
  readonly homedir: string
  /** "node" or "bun": reported by /health and in every log line. */
  readonly runtime: string
  /** Receives complete JSON lines (stdout in the apps). */
  readonly write: (line: string) => void
  /** The runtime's kernel lock for journal stores: the one runtime-specific piece the app injects. */
  readonly lock: FileLock
}

export interface Host {
  readonly settings: ServeSettings
  readonly logger: Logger
  readonly dataDir: string
  readonly gateway: Gateway
  /** Announces the bound URL whatever the log level: tools wait for this line. */
  announce(url: string): void
  close(): Promise<void>
}

export type BootResult = { readonly kind: 'help'; readonly usage: string } | { readonly kind: 'ready'; readonly host: Host }

/** flags/env → settings → provision the state directory → compose the gateway. Throws coded Problems. */
export async function bootHost(options: BootOptions): Promise<BootResult> {
  const settings = resolveServeSettings(options.argv, options.env)
  if (settings.help) return { kind: 'help', usage: SERVE_USAGE }
  const logger = createLogger({ level: settings.logLevel, sink: options.write, bindings: { runtime: options.runtime } })

  const resolved = resolveDataDir({ flag: settings.dataDir, env: options.env, homedir: options.homedir })
  const report = await provision(resolved.path)
  const provisioned = { dataDir: resolved.path, source: resolved.source, created: report.created, keyRepaired: report.key.repaired }
  logger.debug('provisioned', provisioned)
  // Until the server listens, what components say at info (ready, config, rehydrated …) is
  // debug: start-up prints the one config line and `listening`. Warnings and errors stay.
  let booting = true
  const componentLogger = demoteInfoWhile(logger, () => booting)

  const workerIds = settings.workerIdsFile === undefined ? [] : await readWorkerIds(settings.workerIdsFile)

  // One server per data directory (issue 13): held until close, or until the process dies.
  const dataDirLock = lockDataDir(resolved.path, options.lock)
  const gateway = await createGateway(
    {
      gateway: { runtime: options.runtime, maxBodyBytes: gatewayCeiling(settings) },
      objectStore: settings.objectStore,
      providers: settings.providers,
      ...(settings.maxUploadBytes === undefined
        ? {}
        : { ingest: { maxBytes: settings.maxUploadBytes }, storage: { maxObjectBytes: settings.maxUploadBytes } }),
      grants: { httpMint: settings.grantHttpMint },
      access: settings.access,
      split: settings.split,
    },
    { dataDir: resolved.path, logger: componentLogger, workers: createInMemoryWorkerLookup(workerIds), lock: options.lock },
  ).catch((err: unknown) => {
    dataDirLock.release()
    throw err
  })
  logger.info('config', {
    provisioned,
    settings: redact({ ...settings, access: undefined }),
    gateway: redact({ ...gateway.config }),
    access: gateway.describeAccess(),
    workerIds: workerIds.length,
  })

  const announceLogger = createLogger({ level: 'info', sink: options.write, bindings: { runtime: options.runtime } })
  return {
    kind: 'ready',
    host: {
      settings,
      logger,
      dataDir: resolved.path,
      gateway,
      announce: (url) => {
        booting = false
        announceLogger.info('listening', { url })
      },
      close: () => gateway.close().finally(() => dataDirLock.release()),
    },
  }
}

/** `base`, with info lines logged at debug while `demoted()` holds (its children too). */
export function demoteInfoWhile(base: Logger, demoted: () => boolean): Logger {
  return {
    level: base.level,
    enabled: (lvl) => base.enabled(lvl === 'info' && demoted() ? 'debug' : lvl),
    debug: (msg, fields) => base.debug(msg, fields),
    info: (msg, fields) => (demoted() ? base.debug(msg, fields) : base.info(msg, fields)),
    warn: (msg, fields) => base.warn(msg, fields),
    error: (msg, fields) => base.error(msg, fields),
    child: (bindings) => demoteInfoWhile(base.child(bindings), demoted),
  }
}

/**
 * The gateway's hard ceiling: the explicit --max-body, else just above the upload limit (room
 * for multipart framing) so the component's own 413, with its own code, is what clients see.
 */
function gatewayCeiling(settings: ServeSettings): number | undefined {
  if (settings.maxBodyBytes !== undefined) return settings.maxBodyBytes
  return settings.maxUploadBytes === undefined ? undefined : settings.maxUploadBytes + 1024 * 1024
}

export const BOOT_FAILURE_EXIT_CODE = PROVISION_EXIT_CODE

export interface StartOptions extends Omit<BootOptions, 'write'> {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  readonly exit: (code: number) => never
}

/**
 * The apps' start-up in one call: boot, or print usage and exit 0, or print the failure
 * (path and fix) and exit 2. Resolves only with a ready host.
 */
export async function startHost(options: StartOptions): Promise<Host> {
  let booted: BootResult
  try {
    booted = await bootHost({ ...options, write: options.stdout })
  } catch (err) {
    options.stderr(`${describeBootFailure(err)}\n`)
    return options.exit(BOOT_FAILURE_EXIT_CODE)
  }
  if (booted.kind === 'help') {
    options.stdout(`${booted.usage}\n`)
    return options.exit(0)
  }
  return booted.host
}

/** What an app prints to stderr when boot fails; every boot failure exits 2. */
export function describeBootFailure(err: unknown): string {
  if (isProblem(err)) {
    if (err.code.startsWith('PROVISION_')) return formatProvisionFailure(err)
    if (err.code === 'CONFIG_INVALID') return `lakehouse: invalid configuration: ${err.detail}`
    return `lakehouse: ${err.code}: ${err.detail}`
  }
  return `lakehouse: boot failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`
}
