import { parseArgs } from 'node:util'
import type { AccessConfig, ObjectStoreChoice, SplitConfig } from '@lakehouse/gateway'
import { configError, LOG_LEVELS, type LogLevel, oneOf, parseBytes, parseDurationMs, parseInteger } from '@lakehouse/kit'
import type { ProviderEndpoint } from '@lakehouse/providers'
import { resolveAccess } from './access-settings.ts'
import { SERVE_LIMITS, type ServeLimits } from './serve-limits.ts'
import { resolveSplit } from './split-settings.ts'

export type Env = Readonly<Record<string, string | undefined>>

export interface ServeSettings {
  readonly host: string
  /** 0 asks the OS for a free port; the bound URL is announced on stdout. */
  readonly port: number
  /** Explicit --data-dir; undefined lets provisioning resolve env and XDG defaults. */
  readonly dataDir: string | undefined
  readonly logLevel: LogLevel
  readonly shutdownTimeoutMs: number
  /** Newline-separated worker ids accepted by `fill` validation until the workers dataset exists. */
  readonly workerIdsFile: string | undefined
  readonly maxBodyBytes: number | undefined
  /** Largest CSV upload and stored object (ingest and storage); undefined keeps their 256 MiB default. */
  readonly maxUploadBytes: number | undefined
  /** Where objects live: the data directory (default) or an S3-compatible bucket. */
  readonly objectStore: ObjectStoreChoice
  /** Remote model servers for `ollama/…` and `openai/…` models; none by default (offline). */
  readonly providers: readonly ProviderEndpoint[]
  /**
   * Lets `POST /v1/grants` mint and `DELETE /v1/grants/{id}` revoke over HTTP (tests, parity).
   * Off by default: whoever can read the key file (the CLI) is the grant authority.
   */
  readonly grantHttpMint: boolean
  /** Bearer tokens, IP allowlist, Host allowlist and browser origins (docs/security.md). */
  readonly access: AccessConfig
  /** Header, idle and header-size limits of the runtime's server (docs/limits.md). */
  readonly limits: ServeLimits
  /** Which components run here and where the others are (docs/split-mode.md). */
  readonly split: SplitConfig
}

export const SERVE_USAGE = `usage: <app> [--host 127.0.0.1] [--port 8080] [--data-dir DIR] [--log-level info]
            [--shutdown-timeout 10s] [--worker-ids FILE] [--max-body 257MiB] [--max-upload 256MiB]
            [--storage fs|s3] [--grant-http-mint] [--auth-token-env LAKEHOUSE_AUTH_TOKEN]
            [--allow-ip CIDR,…] [--allowed-hosts NAME,…|*] [--allow-origin ORIGIN,…]
            [--idle-timeout 10s] [--headers-timeout 10s] [--objects-dir DIR]
            [--services storage,catalog,…] [--upstream name=URL,…]

env: LAKEHOUSE_HOST, LAKEHOUSE_PORT, LAKEHOUSE_DATA_DIR, LAKEHOUSE_LOG_LEVEL,
     LAKEHOUSE_SHUTDOWN_TIMEOUT, LAKEHOUSE_WORKER_IDS_FILE, LAKEHOUSE_MAX_BODY, LAKEHOUSE_MAX_UPLOAD, LAKEHOUSE_STORAGE,
     LAKEHOUSE_GRANT_HTTP_MINT=1, LAKEHOUSE_AUTH_TOKEN_ENV, LAKEHOUSE_ALLOW_IP, LAKEHOUSE_ALLOWED_HOSTS,
     LAKEHOUSE_ALLOW_ORIGIN, LAKEHOUSE_OBJECTS_DIR, LAKEHOUSE_SERVICES, LAKEHOUSE_UPSTREAMS (flags win over env); the bearer token: LAKEHOUSE_AUTH_TOKEN (or the variable
     --auth-token-env names), secondary tokens during a rotation: LAKEHOUSE_AUTH_TOKEN_SECONDARY (comma-separated);
     a non-loopback --host needs a token; a split deployment (--services, --upstream) needs LAKEHOUSE_SERVICE_TOKEN,
     the same in every process; with --storage s3: LAKEHOUSE_S3_ENDPOINT, LAKEHOUSE_S3_BUCKET,
     LAKEHOUSE_S3_REGION (us-east-1), AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY; model servers:
     LAKEHOUSE_OLLAMA_URL, LAKEHOUSE_OPENAI_URL + LAKEHOUSE_OPENAI_API_KEY`

/** The single place that maps flags and env to settings; flags win over env, env over defaults. */
export function resolveServeSettings(argv: readonly string[], env: Env): ServeSettings & { help: boolean } {
  let values: Record<string, string | boolean | string[] | undefined>
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'log-level': { type: 'string' },
        'shutdown-timeout': { type: 'string' },
        'worker-ids': { type: 'string' },
        'max-body': { type: 'string' },
        'max-upload': { type: 'string' },
        storage: { type: 'string' },
        'grant-http-mint': { type: 'boolean' },
        'auth-token-env': { type: 'string' },
        'allow-ip': { type: 'string' },
        'allowed-hosts': { type: 'string' },
        'allow-origin': { type: 'string' },
        'idle-timeout': { type: 'string' },
        'headers-timeout': { type: 'string' },
        'objects-dir': { type: 'string' },
        services: { type: 'string' },
        upstream: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (e) {
    return configError('argv', `${e instanceof Error ? e.message : String(e)}\n${SERVE_USAGE}`)
  }
  const pick = (flag: string, envName: string): string | undefined => {
    const v = values[flag]
    if (Array.isArray(v) && v.length > 0) return v.join(',')
    if (typeof v === 'string' && v !== '') return v
    const fromEnv = env[envName]
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv
  }

  const host = pick('host', 'LAKEHOUSE_HOST') ?? '127.0.0.1'
  const split = resolveSplit({ services: pick('services', 'LAKEHOUSE_SERVICES'), upstreams: pick('upstream', 'LAKEHOUSE_UPSTREAMS') }, env)
  const access = resolveAccess(
    {
      host,
      serviceToken: split.serviceToken,
      tokenEnv: pick('auth-token-env', 'LAKEHOUSE_AUTH_TOKEN_ENV'),
      allowIp: pick('allow-ip', 'LAKEHOUSE_ALLOW_IP'),
      allowedHosts: pick('allowed-hosts', 'LAKEHOUSE_ALLOWED_HOSTS'),
      allowOrigin: pick('allow-origin', 'LAKEHOUSE_ALLOW_ORIGIN'),
    },
    env,
  )
  const logLevel = (pick('log-level', 'LAKEHOUSE_LOG_LEVEL') ?? 'info') as LogLevel
  const levelProblem = oneOf(...LOG_LEVELS)(logLevel)
  if (levelProblem !== undefined) configError('log-level', levelProblem)
  const maxBody = pick('max-body', 'LAKEHOUSE_MAX_BODY')
  const maxUpload = pick('max-upload', 'LAKEHOUSE_MAX_UPLOAD')
  const storage = pick('storage', 'LAKEHOUSE_STORAGE') ?? 'fs'
  const storageProblem = oneOf('fs', 's3')(storage as 'fs' | 's3')
  if (storageProblem !== undefined) configError('storage', storageProblem)

  return {
    help: values.help === true,
    host,
    port: parseInteger('port', pick('port', 'LAKEHOUSE_PORT') ?? '8080', 0, 65535),
    // LAKEHOUSE_DATA_DIR and the XDG fallbacks are resolved by provisioning, which reports the source.
    dataDir: typeof values['data-dir'] === 'string' && values['data-dir'] !== '' ? values['data-dir'] : undefined,
    logLevel,
    shutdownTimeoutMs: parseDurationMs('shutdown-timeout', pick('shutdown-timeout', 'LAKEHOUSE_SHUTDOWN_TIMEOUT') ?? '10s'),
    workerIdsFile: pick('worker-ids', 'LAKEHOUSE_WORKER_IDS_FILE'),
    maxBodyBytes: maxBody === undefined ? undefined : parseBytes('max-body', maxBody),
    maxUploadBytes: maxUpload === undefined ? undefined : parseBytes('max-upload', maxUpload),
    objectStore: storage === 's3' ? s3Choice(env) : fsChoice(pick('objects-dir', 'LAKEHOUSE_OBJECTS_DIR')),
    providers: providerEndpoints(env),
    grantHttpMint: values['grant-http-mint'] === true || env.LAKEHOUSE_GRANT_HTTP_MINT === '1',
    access,
    limits: {
      ...SERVE_LIMITS,
      idleTimeoutMs: timeoutWithin('idle-timeout', pick('idle-timeout', 'LAKEHOUSE_IDLE_TIMEOUT'), SERVE_LIMITS.idleTimeoutMs),
      headersTimeoutMs: timeoutWithin(
        'headers-timeout',
        pick('headers-timeout', 'LAKEHOUSE_HEADERS_TIMEOUT'),
        SERVE_LIMITS.headersTimeoutMs,
      ),
    },
    split,
  }
}

/** The objects under the data directory, or a directory the processes of a split deployment share. */
function fsChoice(objectsDir: string | undefined): ObjectStoreChoice {
  return objectsDir === undefined ? { kind: 'fs' } : { kind: 'fs', root: objectsDir }
}

/** 1 s … 255 s: Bun's idle timer is whole seconds up to 255, and both apps must agree. */
function timeoutWithin(key: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback
  const ms = parseDurationMs(key, text)
  if (ms < 1_000 || ms > 255_000) configError(key, 'must be between 1s and 255s')
  return Math.ceil(ms / 1000) * 1000
}

function providerEndpoints(env: Env): ProviderEndpoint[] {
  const out: ProviderEndpoint[] = []
  const url = (name: string): string | undefined => {
    const v = env[name]
    if (v === undefined || v === '') return undefined
    try {
      new URL(v)
    } catch {
      configError(name, `${JSON.stringify(v)} is not a URL`)
    }
    return v
  }
  const ollama = url('LAKEHOUSE_OLLAMA_URL')
  if (ollama !== undefined) out.push({ kind: 'ollama', baseUrl: ollama })
  const openai = url('LAKEHOUSE_OPENAI_URL')
  const apiKey = env.LAKEHOUSE_OPENAI_API_KEY
  if (openai !== undefined) out.push({ kind: 'openai', baseUrl: openai, ...(apiKey === undefined || apiKey === '' ? {} : { apiKey }) })
  return out
}

function s3Choice(env: Env): ObjectStoreChoice {
  const need = (name: string): string => {
    const v = env[name]
    if (v === undefined || v === '') return configError('storage', `--storage s3 needs ${name}`)
    return v
  }
  return {
    kind: 's3',
    endpoint: need('LAKEHOUSE_S3_ENDPOINT'),
    bucket: need('LAKEHOUSE_S3_BUCKET'),
    region: env.LAKEHOUSE_S3_REGION || 'us-east-1',
    accessKeyId: need('AWS_ACCESS_KEY_ID'),
    secretAccessKey: need('AWS_SECRET_ACCESS_KEY'),
    forcePathStyle: true,
  }
}
