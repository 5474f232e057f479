import type { PresenceRequest } from './types.js'

/** Headers an auth library may read to find or refresh a session. */
const FORWARDED = [
  'cookie',
  'authorization',
  'origin',
  'referer',
  'host',
  'user-agent',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
] as const

/**
 * The request's headers as a Fetch `Headers` object: the same object for a
 * real `Request`, or a copy of the auth-relevant headers for the lighter
 * request objects the Node and Express adapters hand over.
 *
 * @param request - the request a session adapter received.
 * @returns a `Headers` object an auth library accepts.
 */
export function forwardHeaders(request: Pick<PresenceRequest, 'headers'>): Headers {
  if (request.headers instanceof Headers) return request.headers
  const headers = new Headers()
  for (const name of FORWARDED) {
    const value = request.headers.get(name)
    if (value !== null) headers.set(name, value)
  }
  return headers
}
