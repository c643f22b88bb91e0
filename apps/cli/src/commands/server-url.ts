import { AUTH_TOKEN_ENV, bearerAuthorization, clientToken } from '@lakehouse/kit'

/** Where client commands (ingest, sql) find a running server: --url, else LAKEHOUSE_URL, else the default port. */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080'

export function serverUrl(flag: string | undefined): URL {
  const raw = flag ?? process.env.LAKEHOUSE_URL ?? DEFAULT_SERVER_URL
  try {
    return new URL(raw)
  } catch {
    throw new Error(`--url: ${JSON.stringify(raw)} is not a URL`)
  }
}

/** What client commands send to a server with auth on: --token, else LAKEHOUSE_AUTH_TOKEN, else nothing. */
export function authHeaders(flag: string | undefined): Record<string, string> {
  const token = clientToken(flag, process.env)
  return token === undefined ? {} : { authorization: bearerAuthorization(token) }
}

/** The help lines every client command shares. */
export const CLIENT_AUTH_HELP = `--url URL: the server (default: $LAKEHOUSE_URL, else ${DEFAULT_SERVER_URL}); start one with
\`lakehouse serve --runtime node|bun\`. --token T sends Authorization: Bearer T (default: $${AUTH_TOKEN_ENV}).`

/** What a client command says when nothing answers at the URL: how to get a server there. */
export function reportUnreachable(command: string, url: URL, err: unknown): number {
  const cause =
    err instanceof Error
      ? ((err.cause as { code?: string } | undefined)?.code ?? (err as { code?: string }).code ?? err.message)
      : String(err)
  const from = process.env.LAKEHOUSE_URL !== undefined && process.env.LAKEHOUSE_URL !== '' ? ' (from LAKEHOUSE_URL)' : ''
  process.stderr.write(
    `lakehouse ${command}: cannot reach a server at ${url.origin}${from}: ${cause}\n` +
      '  start one with `lakehouse serve --runtime node|bun` (add --port to match), or point at a running one\n' +
      '  with --url URL or LAKEHOUSE_URL=URL\n',
  )
  return 2
}

/** A request that never got an HTTP answer (refused, reset, DNS): not a server's error. */
export class ServerUnreachable extends Error {
  constructor(
    readonly url: URL,
    cause: unknown,
  ) {
    super(`cannot reach ${url.origin}`, { cause })
  }
}

/** Prints a problem+json answer the way a person wants to read it; returns the exit code. */
export function reportProblem(command: string, status: number, text: string): number {
  let detail = text
  try {
    const p = JSON.parse(text) as { code?: string; detail?: string; errors?: { field?: string; message?: string }[] }
    detail = `${p.code ?? status}: ${p.detail ?? ''}`
    for (const e of p.errors ?? []) detail += `\n  ${e.field ?? ''} ${e.message ?? ''}`
  } catch {
    // not JSON: print as is
  }
  if (status === 401) detail += `\n  (pass --token or set ${AUTH_TOKEN_ENV} to the server's bearer token)`
  process.stderr.write(`lakehouse ${command}: HTTP ${status} ${detail}\n`)
  return status >= 500 ? 2 : 1
}
