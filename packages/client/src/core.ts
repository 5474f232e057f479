/**
 * `@presence/client/core`: the client without any import of `pusher-js`,
 * for service workers and extensions that use `pusher-js/worker` (whose web
 * build cannot load there). Pass a pusher-js instance.
 *
 * @module
 */
import { type CoreClientOptions, createClient } from './client.js'
import type { PresenceClient } from './types.js'

export type { CoreClientOptions } from './client.js'
export { PresenceClientError } from './errors.js'
export type * from './types.js'

/**
 * Creates a presence client around an existing pusher-js instance; its channel
 * authorizer is replaced by the client's batching one.
 *
 * @param options - `pusher` (an instance), `auth`, `user`, `graceMs`.
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
export function createPresenceClient(options: CoreClientOptions): PresenceClient {
  return createClient(options, options.pusher)
}
