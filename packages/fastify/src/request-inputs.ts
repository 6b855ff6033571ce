import type { DeviceOptions, LoadInput } from '@sess/core'
import type { FastifyRequest } from 'fastify'

/** Whether `X-Forwarded-Proto` says HTTPS although Fastify does not trust the proxy (`trustProxy` off). */
function untrustedHttps(request: FastifyRequest): boolean {
  const header = request.headers['x-forwarded-proto']
  const https = typeof header === 'string' && (header.split(',')[0] as string).trim().toLowerCase() === 'https'
  return https && request.protocol !== 'https'
}

/** The request's path, without the query. */
function pathOf(request: FastifyRequest): string {
  const query = request.url.indexOf('?')
  return query === -1 ? request.url : request.url.slice(0, query)
}

/**
 * What core reads about the request beyond the cookie, or undefined when nothing is wanted: the opt-in device
 * (`device.userAgent`, `device.ip` from Fastify's `request.ip`, which follows `trustProxy`) and, only when someone
 * observes events, the path and an untrusted HTTPS proxy for the diagnostics.
 */
export function requestInputs(
  device: DeviceOptions | undefined,
  diagnose: boolean,
): ((request: FastifyRequest) => Partial<LoadInput>) | undefined {
  const userAgent = device?.userAgent === true
  const ip = device?.ip === true
  if (!userAgent && !ip && !diagnose) return undefined
  return (request) => ({
    ...(userAgent && { userAgent: request.headers['user-agent'] }),
    ...(ip && { ip: request.ip }),
    ...(diagnose && { path: pathOf(request), untrustedHttps: untrustedHttps(request) }),
  })
}
