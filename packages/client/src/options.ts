/**
 * Options of `createPresenceClient`: the pusher-js instance or its options, the auth
 * endpoints, the user, timings, event schemas and reconnection delays.
 *
 * @module
 */
import type { StandardSchemaV1 } from '@standard-schema/spec'
import type { Options as PusherJsOptions } from 'pusher-js'
import type { AnyState } from './channel-map.js'
import type { InvalidEventError } from './errors.js'

/**
 * A pusher-js instance, as exported by `pusher-js` (or `pusher-js/worker`,
 * which has the same surface).
 */
export type PusherLike = PusherClass extends abstract new (
  ...args: never[]
) => infer Instance
  ? Instance
  : never

/**
 * pusher-js's class. pusher-js ships ESM-syntax types in a CommonJS package, so under
 * `moduleResolution: node16` an ES module sees its default export as the whole
 * `module.exports` (whose `default` is the class), while bundler resolution and CommonJS see
 * the class itself; this unwraps either.
 * @internal
 */
type PusherClass = typeof import('pusher-js') extends { default: infer D }
  ? D extends { default: infer Inner }
    ? Inner
    : D
  : never

/**
 * pusher-js constructor options plus the app key, for a client that creates
 * its own pusher-js instance. `channelAuthorization` is set by the client.
 */
export type PusherOptionsWithKey = Omit<PusherJsOptions, 'channelAuthorization'> & {
  /** The app key (`PUSHER_KEY` / soketi's `SOKETI_DEFAULT_APP_KEY`). */
  key: string
}

/**
 * The signed-in user as far as the client is concerned: presence channels are
 * joined only while one is set. The server still decides from its own session.
 */
export interface PresenceUser {
  /** A stable user id; changing it rejoins presence channels. */
  readonly id: string
  /** Anything else the app keeps about the user. */
  readonly [key: string]: unknown
}

/**
 * Headers sent with every auth request: a value, or a function called before
 * every request (may be async, e.g. to read a fresh token).
 */
export type HeadersOption = HeadersInit | (() => HeadersInit | Promise<HeadersInit>)

/**
 * How the client reaches the app server's auth endpoints: `@presence/server`'s
 * `presence.handler` (one route), or any Pusher-compatible endpoint.
 *
 * | `endpoint`                    | `batchEndpoint` | requests                                          |
 * | ----------------------------- | --------------- | ------------------------------------------------- |
 * | `'/api/pusher'`               | absent          | batches to `/api/pusher/batch`                    |
 * | `'/api/pusher/auth'`          | absent          | one form POST per channel to `/api/pusher/auth`   |
 * | any                           | `'/x/batch'`    | batches to `/x/batch`                             |
 * | any                           | `false`         | one form POST per channel to `endpoint`           |
 */
export interface AuthOptions {
  /**
   * Where the app authorizes channels. Either where `presence.handler` is
   * mounted (`'/api/pusher'`): the client then sends batches to its `/batch`
   * path (`'/api/pusher/batch'`, query string kept). Or a single-channel
   * endpoint, recognised by a path that ends in `/auth` (`'/api/pusher/auth'`,
   * pusher-js's `'/pusher/auth'`, Laravel's `'/broadcasting/auth'`): each
   * channel is then one form POST (`socket_id`, `channel_name`), as pusher-js
   * sends it. Absolute URLs work the same way. An empty or non-string value
   * throws `INVALID_OPTIONS`.
   */
  endpoint: string
  /**
   * The batch endpoint: POST JSON `{ socket_id, channels }` answered by one
   * object keyed by channel name. A URL overrides the one derived from
   * `endpoint`; `false` turns batching off, so each channel is one form POST
   * to `endpoint` as given (a Pusher-compatible endpoint whose path does not
   * end in `/auth`). Any other value throws `INVALID_OPTIONS`.
   * @default `endpoint` + `/batch`, or no batching when the path of `endpoint` ends in `/auth`
   */
  batchEndpoint?: string | false
  /**
   * Where the connection is signed in (pusher-js `signin()`, POST form `socket_id`, answered
   * `{ auth, user_data }`), so the app server can end a user's connections
   * (`presence.revokeUser`). Signing in happens while a user is set (see
   * {@link PresenceClient.setUser}), once per connection and again after a reconnect. A URL
   * names the endpoint; `false` turns sign-in off. The websocket server must have user
   * authentication enabled (soketi: `SOKETI_DEFAULT_APP_USER_AUTHENTICATION=true`).
   * @default `endpoint` + `/user-auth` when `endpoint` is where `presence.handler` is mounted
   *   (its path does not end in `/auth` and `batchEndpoint` is not `false`); otherwise no sign-in
   */
  userAuthEndpoint?: string | false
  /**
   * Extra request headers (e.g. `Authorization: Bearer …` in an extension).
   * A function is called before every request, including retries.
   * @default {} (none)
   */
  headers?: HeadersOption
  /**
   * How long to wait for more channels before sending a batch, in milliseconds.
   * @default 10
   */
  batchWindowMs?: number
  /**
   * The most channels in one batch request; a larger burst is split.
   * Keep it at or under the server's cap (100 by default).
   * @default 50
   */
  maxBatch?: number
  /**
   * Called when a request answers 401 (or a batch entry has status 401), e.g.
   * to refresh a token; the refused channels are then retried once, with
   * fresh `headers()`. One call per token generation, on both endpoints: a
   * 401 for a request whose headers were read before the latest completed
   * call is retried without calling it again, and 401s that arrive while a
   * call runs wait for that call. If the retry answers 401 too, the channel
   * is `unauthenticated` (no further retry). A call that throws counts as done.
   * @default undefined (a 401 is final: no refresh, no retry)
   */
  onUnauthorized?: () => void | Promise<void>
  /**
   * The `fetch` to use (tests, custom agents). Never XHR.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch
  /**
   * The `credentials` mode of every request (cookies).
   * @default 'same-origin'
   */
  credentials?: RequestCredentials
}

/**
 * Options of {@link PresenceClient}'s factory, `createPresenceClient`.
 */
export interface PresenceClientOptions {
  /**
   * A pusher-js instance (its channel authorizer is replaced by the client's),
   * or the options to create one with (`key` plus pusher-js options).
   */
  pusher: PusherLike | PusherOptionsWithKey
  /** Where and how channels are authorized. */
  auth: AuthOptions
  /**
   * The initial user. `null`: presence channels wait for `setUser(user)`.
   * Omitted (`undefined`): presence channels are not gated until `setUser`
   * is first called.
   * @default undefined
   */
  user?: PresenceUser | null
  /**
   * How long the last `release()` waits before the real unsubscribe, in
   * milliseconds, so an unmount followed by a mount (React StrictMode, route
   * changes) keeps the subscription. It is also how long the client keeps
   * the state of a channel nobody uses any more: a channel with no
   * reference, no `on()` handler, no store listener and no subscription in
   * progress is forgotten one grace period after it became unused (its
   * store, asked for again, starts `idle`).
   * @default 50
   */
  graceMs?: number
  /**
   * How long a member whose `member_removed` arrived stays in presence snapshots, in
   * milliseconds. A member re-added within it (a peer's network blip, a page reload) never
   * leaves: no listener hears of it. A real leave shows once the grace is over. `0` removes
   * members at once.
   * @default 3000
   */
  leaveGraceMs?: number
  /**
   * Validators of incoming event payloads, by channel pattern then event name: any
   * Standard Schema (zod, valibot, arktype…). A payload that fails is not given to the
   * handlers: {@link PresenceClientOptions.onInvalidEvent} receives an `INVALID_EVENT` error
   * instead. Handlers receive the schema's output (transforms applied). An asynchronous
   * schema delays its handlers until it settles.
   * @default undefined (payloads are passed as received)
   * @example
   * ```ts
   * schemas: { 'private-doc@{docId}': { updated: v.object({ rev: v.number() }) } }
   * ```
   */
  schemas?: EventSchemas
  /**
   * Called when an incoming event fails its schema, with an `INVALID_EVENT`
   * {@link InvalidEventError} (channel, event, data, issues). Never thrown into pusher-js.
   * @default undefined (the error is reported with `console.error`)
   */
  onInvalidEvent?: (error: InvalidEventError) => void
  /**
   * How the client reconnects after the connection to the websocket server
   * was lost: retries on a short backoff with full jitter instead of
   * pusher-js's 15 s attempt timer. `false` leaves pusher-js's own pacing.
   * @default {} (on, with the defaults of {@link RecoveryOptions})
   */
  reconnect?: RecoveryOptions | false
  /**
   * Whether the tabs of one origin share one connection. `'own'`: this tab
   * holds its own connection. `'shared'`: one tab leads and holds the
   * connection, the others follow through it (see `client.tabs`); only
   * `createPresenceClient` from `@presence/client/tabs` accepts it (the
   * sharing code lives there, so apps that do not share pay nothing for it),
   * the other entries throw `INVALID_OPTIONS`.
   * @default 'own'
   */
  tabs?: 'own' | 'shared'
}

/**
 * Delays of the reconnection after a lost connection.
 *
 * After the connection is lost, pusher-js retries once after 1 s. Each time
 * an attempt fails (the server refuses or drops the socket), the client waits
 * a delay drawn uniformly from `[0, min(maxDelayMs, firstDelayMs × 2^n)]`
 * (full jitter; `n` counts the client's retries since the loss, from 0), then
 * starts the next attempt. One attempt at a time, and a new one only after
 * one failed (never because one is slow). The first connection of a page is left to
 * pusher-js; after the app's own `disconnect()`, nothing is retried until it
 * connects again.
 *
 * @example
 * ```ts
 * createPresenceClient({ pusher, auth, reconnect: { firstDelayMs: 500, maxDelayMs: 5000 } })
 * ```
 */
export interface RecoveryOptions {
  /**
   * The window of the first retry, in milliseconds: it starts within this
   * delay after the first failed attempt. Doubles with each retry.
   * @default 1000
   */
  firstDelayMs?: number
  /**
   * The largest window, in milliseconds: with many clients reconnecting at
   * once, their attempts spread over this window.
   * @default 3000
   */
  maxDelayMs?: number
}

/**
 * Validators of incoming event payloads: a channel pattern (`'private-doc@{docId}'`, as in the
 * channel map) → event name → a Standard Schema (zod, valibot, arktype… all implement it).
 * The key `state` validates the members' live state on presence channels (`updateMyState`).
 */
export type EventSchemas = {
  [pattern: string]: { [event: string]: StandardSchemaV1 }
}

/**
 * The channel map described by a set of {@link EventSchemas}: each event's payload is its
 * schema's output, so the schemas can be the one declaration of the app's events.
 *
 * @example
 * ```ts
 * const schemas = { 'private-doc@{docId}': { updated: v.object({ rev: v.number() }) } }
 * type AppChannels = SchemaChannels<typeof schemas>
 * // { 'private-doc@{docId}': { events: { updated: { rev: number } } } }
 * ```
 */
export type SchemaChannels<S extends EventSchemas> = {
  [P in keyof S]: {
    events: { [E in Exclude<keyof S[P], 'state'>]: StandardSchemaV1.InferOutput<S[P][E]> }
  } & ('state' extends keyof S[P]
    ? { state: StandardSchemaV1.InferOutput<S[P]['state']> & AnyState }
    : unknown)
}
