/**
 * A flag naming a service: an http(s) URL or a one-line refusal. One rule for the recording
 * proxy, its CLI and shadow mode; each raises its own error class (`fail`).
 */
export function httpUrl(flag: string, text: string, fail: (message: string) => Error): URL {
  let url: URL | undefined
  try {
    url = new URL(text)
  } catch {
    url = undefined
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw fail(`${flag} must be an http(s) URL, got ${JSON.stringify(text)}`)
  }
  return url
}
