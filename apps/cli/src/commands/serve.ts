import { spawn } from 'node:child_process'
import { APP_RUNTIMES, isAppRuntime } from '@lakehouse/launch'
import { serverCommand } from '../runtimes.ts'
import { closest } from '../suggest.ts'

export const SERVE_HELP = `lakehouse serve --runtime node|bun [--host 127.0.0.1] [--port 8080] [--data-dir DIR] [app flags…]

Starts one runtime's server in the foreground (other flags go to the app: --log-level,
--shutdown-timeout, --worker-ids, --max-body). Ctrl-C or SIGTERM stops it gracefully.`

/** Runs the chosen runtime as a child, forwarding signals, and resolves with its exit code. */
export async function serveCommand(args: readonly string[]): Promise<number> {
  const rest = [...args]
  let runtime: string | undefined
  const i = rest.findIndex((a) => a === '--runtime' || a.startsWith('--runtime='))
  if (i >= 0) {
    const arg = rest[i] ?? ''
    runtime = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : rest[i + 1]
    rest.splice(i, arg.includes('=') ? 1 : 2)
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${SERVE_HELP}\n`)
    return 0
  }
  if (runtime === undefined) {
    // `--runtim node`: the app would refuse the flag later; name the one meant here.
    const typo = rest.map((a) => a.split('=')[0] ?? '').find((a) => a.startsWith('--') && closest(a, ['--runtime']) !== undefined)
    if (typo !== undefined) {
      process.stderr.write(`lakehouse serve: unknown option '${typo}'; did you mean --runtime?\n\nusage: ${SERVE_HELP.split('\n')[0]}\n`)
      return 2
    }
  }
  if (runtime === undefined || !isAppRuntime(runtime)) {
    process.stderr.write(`lakehouse serve: --runtime must be one of ${APP_RUNTIMES.join(', ')}\n\n${SERVE_HELP}\n`)
    return 2
  }
  const [cmd = '', ...cmdArgs] = await serverCommand(runtime)
  const child = spawn(cmd, [...cmdArgs, ...rest], { stdio: 'inherit' })
  const forward = (signal: NodeJS.Signals) => () => void child.kill(signal)
  const onTerm = forward('SIGTERM')
  const onInt = forward('SIGINT')
  process.on('SIGTERM', onTerm)
  process.on('SIGINT', onInt)
  return new Promise<number>((resolve) => {
    child.on('error', (err) => {
      process.stderr.write(`lakehouse serve: cannot start ${cmd}: ${err.message}\n`)
      resolve(2)
    })
    child.on('exit', (code, signal) => {
      process.off('SIGTERM', onTerm)
      process.off('SIGINT', onInt)
      resolve(code ?? (signal === null ? 1 : 128 + 15))
    })
  })
}
