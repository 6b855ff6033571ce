// Load generation with autocannon, in the parent process (the server is another process).
import autocannon from 'autocannon'

/**
 * Runs autocannon against `origin + path` for `seconds`. With `cookies`, every request takes the next cookie of the
 * pool (one counter shared by all connections, so concurrent connections never hold the same session). With `rate`,
 * requests are sent at that many per second in total.
 */
export function load({ origin, path, seconds, connections, cookies, rate }) {
  const url = new URL(path, origin)
  /** @type {import('autocannon').Options} */
  const options = {
    url: url.href,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
  }
  // A fixed total rate instead of as fast as the server answers.
  if (rate) options.overallRate = rate
  if (cookies && cookies.length > 0) {
    let i = 0
    options.requests = [
      {
        method: 'GET',
        path: url.pathname,
        setupRequest: (req) => {
          req.headers = { ...req.headers, cookie: cookies[i++ % cookies.length] }
          return req
        },
      },
    ]
  }
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)))
    instance.on('error', reject)
  })
}
