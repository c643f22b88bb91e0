import { homedir } from 'node:os'
import { BOOT_FAILURE_EXIT_CODE, installShutdown, startHost } from '@lakehouse/host'
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

  let server: ReturnType<typeof Bun.serve>
  try {
    server = Bun.serve({
      hostname: settings.host,
      port: settings.port,
      fetch: (req, srv) => host.gateway.serve(req, { address: srv.requestIP(req)?.address }),
      // Bun answers 413 itself above maxRequestBodySize (default 128 MiB) with a plain-text body;
      // set it above the gateway ceiling so the gateway's problem+json 413 is what clients see,
      // as on Node.
      maxRequestBodySize: host.gateway.config.maxBodyBytes * 2,
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
