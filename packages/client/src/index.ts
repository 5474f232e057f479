/**
 * `@presence/client`: a batching channel authorizer, reference-counted
 * subscriptions, presence member stores and retained events on top of pusher-js.
 * Framework-agnostic: it imports no UI framework.
 *
 * @module
 */
import Pusher from 'pusher-js'
import type { ChannelMap, RegisteredChannels } from './channel-map.js'
import { createClient } from './client.js'
import { batchUrlOf } from './endpoints.js'
import { fail } from './errors.js'
import type { PresenceClientOptions, PusherLike, PusherOptionsWithKey } from './options.js'
import type { PresenceClient } from './types.js'

export type * from './channel-map.js'
export {
  type ChannelError,
  InvalidEventError,
  PresenceClientError,
  type PresenceClientErrorCode,
} from './errors.js'
export type * from './options.js'
export type * from './snapshots.js'
export type * from './types.js'

/**
 * Creates a presence client. Give it a pusher-js instance (its channel
 * authorizer is replaced) or pusher-js options with `key` (the client then
 * owns the instance and `destroy()` disconnects it).
 *
 * @typeParam M - the app's channel map; defaults to the one declared in {@link Register}.
 * @param options - `pusher`, `auth` (endpoints, headers, batching), `user`, `graceMs`,
 *   `schemas` and `onInvalidEvent`.
 * @returns the client.
 * @example
 * ```ts
 * import { createPresenceClient } from '@presence/client'
 *
 * const client = createPresenceClient({
 *   pusher: { key: 'app-key', cluster: 'eu' },
 *   auth: { endpoint: '/api/pusher' }, // batches go to /api/pusher/batch
 *   user: null,
 * })
 * client.setUser({ id: session.user.id })
 * const handle = client.subscribe('presence-messenger')
 * const stop = client.members('presence-messenger').subscribe(() => {
 *   console.log(client.members('presence-messenger').getSnapshot().count)
 * })
 * ```
 */
export function createPresenceClient<M extends ChannelMap = RegisteredChannels>(
  options: PresenceClientOptions,
): PresenceClient<M> {
  // Refused before an owned pusher-js instance is created, so nothing connects.
  if (options.tabs === 'shared') throw fail('INVALID_OPTIONS', { field: 'tabs' })
  batchUrlOf(options.auth)
  const given = options.pusher
  // pusher-js ignores the extra `key` option.
  const pusherOptions = given as PusherOptionsWithKey
  const client =
    typeof (given as PusherLike).subscribe === 'function'
      ? createClient(options, given as PusherLike)
      : createClient(options, new Pusher(pusherOptions.key, pusherOptions), true)
  // The channel map is a compile-time view: the runtime client is the same for every map.
  return client as unknown as PresenceClient<M>
}
