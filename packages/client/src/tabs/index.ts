/**
 * `@presence/client/tabs`: `createPresenceClient` with `tabs: 'shared'`, so the tabs of one
 * origin share one websocket connection, one authorizer and the member stores. A separate
 * entry, so an app that keeps a connection per tab never bundles the sharing code.
 *
 * @module
 */
import type { ChannelMap, RegisteredChannels } from '../channel-map.js'
import { batchUrlOf } from '../endpoints.js'
import { PresenceClientError } from '../errors.js'
import { createPresenceClient as createOwnClient } from '../index.js'
import type { PresenceClientOptions, PusherLike, PusherOptionsWithKey } from '../options.js'
import type { PresenceClient } from '../types.js'
import type { LockManagerLike } from './election.js'
import { createSharedClient } from './shared-client.js'

declare const process: { env: { NODE_ENV?: string } }

/** The Web Locks API, where the page has it. */
const pageLocks = (): LockManagerLike | undefined =>
  typeof document === 'object' && typeof BroadcastChannel === 'function'
    ? (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks
    : undefined

/**
 * Creates a presence client; with `tabs: 'shared'`, the tabs of one origin share one
 * connection. One tab leads: it holds the pusher-js connection and authorizes every tab's
 * channels in its batches. The others follow: `subscribe`/`release` count references across
 * tabs, member stores, `on()` handlers and retained events, `online`, `connection`,
 * `recovery` and `user` are mirrored from the leader. When the leading tab closes, crashes,
 * is frozen or hidden, another takes over and subscribes every tab's channels again in one
 * batch. `setUser` in one tab applies to all.
 *
 * Where a page lacks the Web Locks API or `BroadcastChannel`, and outside pages (Node,
 * workers, service workers), every client keeps its own connection: same API,
 * `client.tabs` reads `{ role: 'own' }`. With `tabs: 'own'` (the default) this is the
 * `createPresenceClient` of `@presence/client`.
 *
 * @typeParam M - the app's channel map; defaults to the one declared in `Register`.
 * @param options - the options of `@presence/client`'s `createPresenceClient`, plus `tabs`.
 *   With `tabs: 'shared'`, `pusher` must be options with `key` (the leading tab creates the
 *   instance), and `auth` (its `headers()` included) is used by the leading tab.
 * @returns the client.
 * @throws `PresenceClientError` `INVALID_OPTIONS` for `tabs: 'shared'` with a pusher-js
 *   instance, and for unusable `auth` endpoints.
 * @example
 * ```ts
 * import { createPresenceClient } from '@presence/client/tabs'
 *
 * const client = createPresenceClient({
 *   pusher: { key: 'app-key', cluster: 'eu' },
 *   auth: { endpoint: '/api/pusher' },
 *   tabs: 'shared',
 * })
 * client.tabs.subscribe(() => console.log(client.tabs.getSnapshot().role)) // 'leader' | 'follower'
 * ```
 */
export function createPresenceClient<M extends ChannelMap = RegisteredChannels>(
  options: PresenceClientOptions,
): PresenceClient<M> {
  const locks = options.tabs === 'shared' ? pageLocks() : undefined
  if (!locks) return createOwnClient<M>({ ...options, tabs: 'own' })
  if (typeof (options.pusher as PusherLike).subscribe === 'function')
    throw new PresenceClientError(
      'INVALID_OPTIONS',
      typeof process < 'u' && process.env.NODE_ENV !== 'production'
        ? "tabs: 'shared' needs pusher options with key, not a pusher-js instance: the leading tab creates the connection"
        : 'INVALID_OPTIONS',
      { field: 'pusher' },
    )
  // Refused in every tab, not only once one leads.
  batchUrlOf(options.auth)
  const { key, wsHost, cluster } = options.pusher as PusherOptionsWithKey
  const client = createSharedClient(options, `${key}@${wsHost ?? cluster ?? ''}`, {
    locks,
    channel: (name) => new BroadcastChannel(name),
    lifecycle: { window: globalThis as unknown as EventTarget, document },
    connect: (own) => createOwnClient(own),
  })
  // The channel map is a compile-time view: the runtime client is the same for every map.
  return client as unknown as PresenceClient<M>
}
