import { homedir } from 'node:os'
import { serve } from '@hono/node-server'
import { BOOT_FAILURE_EXIT_CODE, bootHost, describeBootFailure, installShutdown } from '@lakehouse/host'

const RUNTIME = 'node'

async function main(): Promise<void> {
  const write = (line: string) => void process.stdout.write(line)
  let booted: Awaited<ReturnType<typeof bootHost>>
  try {
    booted = await bootHost({ argv: process.argv.slice(2), env: process.env, homedir: homedir(), runtime: RUNTIME, write })
  } catch (err) {
    process.stderr.write(`${describeBootFailure(err)}\n`)
    process.exit(BOOT_FAILURE_EXIT_CODE)
  }
  if (booted.kind === 'help') {
    process.stdout.write(`${booted.usage}\n`)
    return
  }
  const { host } = booted
  const { settings } = host

  const server = serve({ fetch: host.gateway.handler, hostname: settings.host, port: settings.port }, (info) => {
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
