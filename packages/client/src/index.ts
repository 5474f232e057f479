/**
 * `@presence/client`: a batching channel authorizer, reference-counted
 * subscriptions, presence member stores and retained events on top of pusher-js.
 * Framework-agnostic: it imports no UI framework.
 *
 * @module
 */
import Pusher from 'pusher-js'
import { createClient } from './client.js'
import type {
  PresenceClient,
  PresenceClientOptions,
  PusherLike,
  PusherOptionsWithKey,
} from './types.js'

export type { CoreClientOptions } from './client.js'
export { PresenceClientError } from './errors.js'
export type * from './types.js'

/**
 * Creates a presence client. Give it a pusher-js instance (its channel
 * authorizer is replaced) or pusher-js options with `key` (the client then
 * owns the instance and `destroy()` disconnects it).
 *
 * @param options - `pusher`, `auth` (endpoints, headers, batching), `user`, `graceMs`.
 * @returns the client.
 * @example
 * ```ts
 * import { createPresenceClient } from '@presence/client'
 *
 * const client = createPresenceClient({
 *   pusher: { key: 'app-key', cluster: 'eu' },
 *   auth: { endpoint: '/api/pusher/auth', batchEndpoint: '/api/pusher/batch' },
 *   user: null,
 * })
 * client.setUser({ id: session.user.id })
 * const handle = client.subscribe('presence-messenger')
 * const stop = client.members('presence-messenger').subscribe(() => {
 *   console.log(client.members('presence-messenger').getSnapshot().count)
 * })
 * ```
 */
export function createPresenceClient(options: PresenceClientOptions): PresenceClient {
  const given = options.pusher
  if (typeof (given as PusherLike).subscribe === 'function')
    return createClient(options, given as PusherLike)
  // pusher-js ignores the extra `key` option.
  const pusherOptions = given as PusherOptionsWithKey
  return createClient(options, new Pusher(pusherOptions.key, pusherOptions), true)
}
