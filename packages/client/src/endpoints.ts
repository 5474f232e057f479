import { fail } from './errors.js'
import type { AuthOptions } from './options.js'

/**
 * Where the client sends authorization requests, read from `auth.endpoint` and
 * `auth.batchEndpoint`:
 *
 * - `batchEndpoint` is a URL: batches go there (`endpoint` is not used).
 * - `batchEndpoint` is `false`: no batching; each channel is one form POST to `endpoint`.
 * - `batchEndpoint` is absent and the path of `endpoint` ends in `/auth` (pusher-js's
 *   `/pusher/auth`, Laravel's `/broadcasting/auth`, `presence.handler`'s `…/auth`): no
 *   batching; each channel is one form POST to `endpoint`, as pusher-js would send it.
 * - `batchEndpoint` is absent and the path ends otherwise: `endpoint` is where
 *   `presence.handler` is mounted (`'/api/pusher'`), and batches go to its `/batch` path
 *   (`'/api/pusher/batch'`), query string kept.
 *
 * @param auth - the client's auth options.
 * @returns the batch URL, or `undefined` for one request per channel.
 * @throws {@link PresenceClientError} `INVALID_OPTIONS` when `endpoint` is not a non-empty
 *   string or `batchEndpoint` is neither a non-empty string nor `false`.
 * @internal
 */
export function batchUrlOf(auth: AuthOptions | undefined): string | undefined {
  // Plain JavaScript callers may leave `auth` out: that is a missing endpoint too.
  const { endpoint, batchEndpoint } = auth ?? ({} as Partial<AuthOptions>)
  if (typeof endpoint !== 'string' || endpoint === '')
    throw fail('INVALID_OPTIONS', { field: 'auth.endpoint' })
  if (batchEndpoint === false) return undefined
  if (batchEndpoint !== undefined) {
    if (typeof batchEndpoint !== 'string' || batchEndpoint === '')
      throw fail('INVALID_OPTIONS', { field: 'auth.batchEndpoint' })
    return batchEndpoint
  }
  // The path ends where the query string or the fragment starts.
  const end = endpoint.search(/[?#]/)
  const path = (end < 0 ? endpoint : endpoint.slice(0, end)).replace(/\/+$/, '')
  if (path.endsWith('/auth')) return undefined
  return `${path}/batch${end < 0 ? '' : endpoint.slice(end)}`
}
