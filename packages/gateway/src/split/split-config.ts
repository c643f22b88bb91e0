import { configError } from '@lakehouse/kit'

/** Every component a process can serve, by the name `--services` and `--upstream` use. */
export const COMPONENT_NAMES = [
  'storage',
  'catalog',
  'query',
  'grants',
  'ingest',
  'validator',
  'embed',
  'vector',
  'matrix',
  'draft',
  'memory',
  'observer',
] as const
export type ComponentName = (typeof COMPONENT_NAMES)[number]

/**
 * Which components each one calls in-process when they share a process, and through an
 * upstream when they do not. The observer calls every component, through the gateway, so it
 * needs none of them by name: whatever is not local is proxied.
 */
export const COMPONENT_NEEDS: Readonly<Record<ComponentName, readonly ComponentName[]>> = {
  storage: [],
  // Ingest reads Parquet metadata for it; grants open restores to another schema. Vector is
  // optional: without it (here or upstream) no index is ever reported stale.
  catalog: ['ingest', 'grants'],
  query: ['catalog'],
  grants: [],
  ingest: ['catalog', 'grants'],
  validator: ['catalog', 'query'],
  embed: [],
  vector: ['embed'],
  matrix: ['vector', 'embed'],
  draft: ['catalog', 'query', 'validator'],
  memory: [],
  observer: [],
}

/** A checked upstream: what undici's Pool wants (origin) and what every path is prefixed with. */
export interface Upstream {
  readonly name: ComponentName
  /** `http://host:port`, no trailing slash. */
  readonly origin: string
  /** '' at the root, `/api` for `http://host/api`. */
  readonly basePath: string
}

export interface SplitConfig {
  /** The components built in this process; every one unless `--services` narrows it. */
  readonly services: ReadonlySet<ComponentName>
  /** Where the others live. */
  readonly upstreams: ReadonlyMap<ComponentName, Upstream>
  /** The token processes present to each other; required as soon as anything is split. */
  readonly serviceToken: string | undefined
}

export const ALL_IN_ONE: SplitConfig = Object.freeze({
  services: new Set<ComponentName>(COMPONENT_NAMES),
  upstreams: new Map(),
  serviceToken: undefined,
})

export function isComponentName(value: string): value is ComponentName {
  return (COMPONENT_NAMES as readonly string[]).includes(value)
}

/** `storage,catalog` → the names, each checked; an empty or unknown name fails naming the setting. */
export function parseServices(text: string, key = 'services'): ComponentName[] {
  const names = text.split(',').map((s) => s.trim())
  const out: ComponentName[] = []
  for (const name of names) {
    if (!isComponentName(name)) {
      return configError(key, `${JSON.stringify(name)} is not a component; known: ${COMPONENT_NAMES.join(', ')}`)
    }
    if (out.includes(name)) configError(key, `${name} is listed twice`)
    out.push(name)
  }
  return out
}

/** `name=URL`: an absolute http(s) URL with a host and no credentials, query or fragment. */
export function parseUpstream(text: string, key = 'upstream'): Upstream {
  const eq = text.indexOf('=')
  if (eq <= 0) return configError(key, `${JSON.stringify(text)} is not name=URL (for example catalog=http://127.0.0.1:9001)`)
  const name = text.slice(0, eq).trim()
  const raw = text.slice(eq + 1).trim()
  if (!isComponentName(name)) return configError(key, `${JSON.stringify(name)} is not a component; known: ${COMPONENT_NAMES.join(', ')}`)
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw))
    return configError(`${key}.${name}`, `${JSON.stringify(raw)} has no scheme; write http://host:port`)
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return configError(`${key}.${name}`, `${JSON.stringify(raw)} is not a URL`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') configError(`${key}.${name}`, `must be http or https, got ${url.protocol}`)
  if (url.hostname === '') configError(`${key}.${name}`, `${JSON.stringify(raw)} has no host`)
  // Credentials in the URL would travel into logs; the service token is the one secret.
  if (url.username !== '' || url.password !== '')
    configError(`${key}.${name}`, 'must not carry credentials; processes authenticate with the service token')
  if (url.search !== '' || url.hash !== '') configError(`${key}.${name}`, 'must not have a query or fragment')
  return Object.freeze({ name, origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') })
}

/**
 * Checks a deployment's shape before anything is built: no component both local and
 * upstream, every dependency of a local component reachable, a service token when split.
 */
export function resolveSplitConfig(input: {
  services?: readonly ComponentName[]
  upstreams?: readonly Upstream[]
  serviceToken?: string
}): SplitConfig {
  const services = new Set<ComponentName>(input.services ?? COMPONENT_NAMES)
  const upstreams = new Map<ComponentName, Upstream>()
  for (const u of input.upstreams ?? []) {
    if (upstreams.has(u.name)) configError(`upstream.${u.name}`, 'is given twice')
    if (services.has(u.name)) {
      configError(`upstream.${u.name}`, `${u.name} is served by this process; drop it from --services or from --upstream`)
    }
    upstreams.set(u.name, u)
  }
  for (const name of services) {
    for (const need of COMPONENT_NEEDS[name]) {
      if (!services.has(need) && !upstreams.has(need)) {
        configError('services', `${name} calls ${need}: add ${need} to --services or give --upstream ${need}=URL`)
      }
    }
  }
  const split = services.size < COMPONENT_NAMES.length || upstreams.size > 0
  if (split && (input.serviceToken === undefined || input.serviceToken === '')) {
    configError('serviceToken', 'a split deployment needs LAKEHOUSE_SERVICE_TOKEN, the same in every process')
  }
  return Object.freeze({ services, upstreams, serviceToken: split ? input.serviceToken : undefined })
}
