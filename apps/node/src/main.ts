import { homedir } from 'node:os'
import { BOOT_FAILURE_EXIT_CODE, installShutdown, startHost } from '@lakehouse/host'
import { createNodeFileLock } from '@lakehouse/lock-node'
import { createNodeServer } from './node-server.ts'

const RUNTIME = 'node'

async function main(): Promise<void> {
  // The AWS SDK (S3 backend) warns once per process about Node 20 / Bun; the notice is
  // ours to give (docs/storage.md), not a log line in every boot.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const host = await startHost({
    argv: process.argv.slice(2),
    env: process.env,
    homedir: homedir(),
    runtime: RUNTIME,
    lock: createNodeFileLock(),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    exit: (code) => process.exit(code),
  })
  const { settings } = host

  const server = createNodeServer(host)
  server.listen(settings.port, settings.host, () => {
    const info = server.address()
    if (info === null || typeof info === 'string') return
    const hostPart = info.family === 'IPv6' ? `[${info.address}]` : info.address
    host.announce(`http://${hostPart}:${info.port}`)
  })
  server.on('error', (err) => {
    process.stderr.write(`lakehouse: cannot listen on ${settings.host}:${settings.port}: ${err.message}\n`)
    process.exit(BOOT_FAILURE_EXIT_CODE)
  })

  installShutdown(
    {
      drain: () => new Promise<void>((resolve) => server.close(() => resolve())),
      force: () => {
        if ('closeAllConnections' in server) server.closeAllConnections()
      },
      close: () => host.close(),
      timeoutMs: settings.shutdownTimeoutMs,
      logger: host.logger,
    },
    (code) => process.exit(code),
    (signal, fn) => process.on(signal, fn),
  )
}

await main()
