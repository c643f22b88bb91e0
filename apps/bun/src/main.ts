import { homedir } from 'node:os'
import { BOOT_FAILURE_EXIT_CODE, bunIdleSeconds, installShutdown, startHost } from '@lakehouse/host'
import { kitErrors, problemResponse } from '@lakehouse/kit'
import { createBunFileLock } from '@lakehouse/lock-bun'

const RUNTIME = 'bun'

async function main(): Promise<void> {
  // The AWS SDK (S3 backend) warns once per process about Node 20 / Bun; the notice is
  // ours to give (docs/storage.md), not a log line in every boot.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const host = await startHost({
    argv: process.argv.slice(2),
    env: process.env,
    homedir: homedir(),
    runtime: RUNTIME,
    lock: createBunFileLock(),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    exit: (code) => process.exit(code),
  })
  const { settings } = host

  // docs/limits.md: Bun's idle timer is also its header timeout and, unless told otherwise, it
  // closes a connection whose request is still being processed (a 12 s ingest or a 10 s query
  // would lose its answer). So it is off while the gateway works — a trickling body is ended by
  // the gateway's progress guard, as on Node — and back on once the answer is ready.
  const idleSeconds = bunIdleSeconds(settings.limits.idleTimeoutMs)
  let server: ReturnType<typeof Bun.serve>
  try {
    server = Bun.serve({
      hostname: settings.host,
      port: settings.port,
      idleTimeout: bunIdleSeconds(settings.limits.headersTimeoutMs),
      fetch: async (req, srv) => {
        srv.timeout(req, 0)
        const res = await host.gateway.serve(req, { address: srv.requestIP(req)?.address })
        srv.timeout(req, idleSeconds)
        return res
      },
      // Bun answers 413 itself above maxRequestBodySize (default 128 MiB) in plain text; with no
      // practical ceiling here, the gateway's and the components' problem+json 413s are what
      // clients see, from Content-Length up front or while streaming, as on Node.
      maxRequestBodySize: Number.MAX_SAFE_INTEGER,
      error: (err) => problemResponse(kitErrors.problem('INTERNAL', { cause: err }), '/'),
    })
  } catch (err) {
    process.stderr.write(
      `lakehouse: cannot listen on ${settings.host}:${settings.port}: ${err instanceof Error ? err.message : String(err)}\n`,
    )
    process.exit(BOOT_FAILURE_EXIT_CODE)
  }
  installShutdown(
    {
      drain: () => server.stop(false),
      force: () => void server.stop(true),
      close: () => host.close(),
      timeoutMs: settings.shutdownTimeoutMs,
      logger: host.logger,
    },
    (code) => process.exit(code),
    (signal, fn) => process.on(signal, fn),
  )
  // Announce last: whoever waits for this line may signal us at once.
  host.announce(server.url.origin)
}

await main()
