/**
 * `@presence/client/core`: the client without any import of `pusher-js`,
 * for service workers and extensions that use `pusher-js/worker` (whose web
 * build cannot load there). Pass a pusher-js instance.
 *
 * @module
 */
import type { ChannelMap, RegisteredChannels } from './channel-map.js'
import { type CoreClientOptions, createClient } from './client.js'
import { fail } from './errors.js'
import type { PresenceClient } from './types.js'

export type * from './channel-map.js'
export type { CoreClientOptions } from './client.js'
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
 * Creates a presence client around an existing pusher-js instance; its channel
 * authorizer is replaced by the client's batching one.
 *
 * @typeParam M - the app's channel map; defaults to the one declared in {@link Register}.
 * @param options - `pusher` (an instance), `auth`, `user`, `graceMs`, `schemas`, `onInvalidEvent`.
 * @returns the client; `destroy()` leaves the instance connected.
 * @example
 * ```ts
 * import Pusher from 'pusher-js/worker'
 * import { createPresenceClient } from '@presence/client/core'
 *
 * const client = createPresenceClient({
 *   pusher: new Pusher(KEY, { cluster: 'eu' }),
 *   auth: { endpoint: `${API}/pusher/auth`, headers: async () => ({ Authorization: `Bearer ${await token()}` }) },
 * })
 * ```
 */
export function createPresenceClient<M extends ChannelMap = RegisteredChannels>(
  options: CoreClientOptions,
): PresenceClient<M> {
  if (options.tabs === 'shared') throw fail('INVALID_OPTIONS', { field: 'tabs' })
  const client = createClient(options, options.pusher)
  // The channel map is a compile-time view: the runtime client is the same for every map.
  return client as unknown as PresenceClient<M>
}
