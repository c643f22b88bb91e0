/**
 * Does a URL answer HTTP at all? Shadow mode asks each target once before letting clients in:
 * any status will do (a 404 for `/` is fine), a refused connection or silence is not.
 */
import { request } from 'undici'

/** undefined when the target answered; else why not, in one line. */
export async function probeTarget(url: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const res = await request(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs), headersTimeout: timeoutMs })
    await res.body.dump()
    return undefined
  } catch (e) {
    const code = (e as { code?: string }).code
    if ((e as { name?: string }).name === 'TimeoutError') return `no answer within ${timeoutMs} ms`
    return `${code ?? ''} ${e instanceof Error ? e.message : String(e)}`.trim()
  }
}
