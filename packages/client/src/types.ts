/**
 * The public TypeScript surface of `@presence/client`.
 *
 * Everything here is a type: the runtime lives in `createPresenceClient` and
 * its helpers. `@presence/react` codes against these names.
 *
 * @module
 */
import type { Channel, Options as PusherJsOptions } from 'pusher-js'
import type {
  ChannelMap,
  ChannelName,
  EventData,
  EventName,
  GivenOr,
  MemberInfo,
  Register,
  RegisteredChannels,
} from './channel-map.js'
import type { EventSchemas, InvalidEventError } from './validate.js'

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
 * A framework-agnostic observable value, shaped for React's
 * `useSyncExternalStore`.
 *
 * `getSnapshot()` returns the same reference until the value changes, so it
 * may be called on every render.
 *
 * @typeParam T - the snapshot type.
 */
export interface Store<T> {
  /**
   * Registers a listener called after every change.
   *
   * @param listener - called with no arguments once the new snapshot is readable.
   * @returns a function that removes the listener.
   */
  subscribe(listener: () => void): () => void
  /**
   * Reads the current snapshot.
   *
   * @returns the current value; the same reference until it changes.
   */
  getSnapshot(): T
  /**
   * Reads the snapshot to use while rendering on the server (no socket there).
   *
   * @returns the initial, empty value.
   */
  getServerSnapshot?(): T
}

/**
 * The lifecycle of one channel subscription.
 *
 * - `idle`: nobody holds the channel, or it is a presence channel waiting for `setUser(user)`.
 * - `subscribing`: waiting for authorization or the server's `subscription_succeeded`.
 * - `subscribed`: joined.
 * - `unauthenticated`: the auth endpoint answered 401 (no session).
 * - `forbidden`: the auth endpoint answered 403 (see `error.code`).
 * - `error`: anything else: network failure, invalid response, full channel, other 4xx/5xx.
 */
export type ChannelStatus =
  | 'idle'
  | 'subscribing'
  | 'subscribed'
  | 'unauthenticated'
  | 'forbidden'
  | 'error'

/**
 * Why a channel is not subscribed, as reported by the auth endpoint's JSON
 * body (`{ error: { code, message? } }`) or by the client itself.
 *
 * An app can switch to polling when it sees one (a Chrome extension's session channels).
 */
export interface ChannelError {
  /**
   * Server codes (`UNAUTHENTICATED`, `CHANNEL_FORBIDDEN`, `TIMEOUT`, app codes
   * such as `SESSION_NOT_FOUND`) are passed through; the client adds its own
   * {@link PresenceClientErrorCode}s.
   */
  code: string
  /**
   * The HTTP status of the refusal (401, 403, 5xx...); `0` when no HTTP answer
   * was received; the Pusher protocol code (e.g. 4100) for a refusal by the
   * websocket server.
   */
  status: number
  /**
   * What happened: the server's `message` when it sent one (development
   * mode), otherwise the client's own description.
   */
  message?: string
}

/**
 * Codes of the errors raised by the client itself.
 *
 * - `INVALID_OPTIONS`: `createPresenceClient` was called with unusable options.
 * - `INVALID_AUTH_RESPONSE`: a 2xx answer lacked a field (`auth`, `channel_data`
 *   for presence, `shared_secret` for `private-encrypted-`) or was not JSON.
 * - `NETWORK_ERROR`: `fetch` rejected (offline, CORS, DNS).
 * - `HTTP_ERROR`: a non-2xx answer without a JSON `{ error: { code } }` body.
 * - `MEMBER_LIMIT`: the presence channel is full (Pusher protocol 4100).
 * - `SUBSCRIPTION_ERROR`: the websocket server refused the subscription for another reason.
 * - `INVALID_EVENT`: an incoming event failed its schema (see `schemas`); given to `onInvalidEvent`.
 */
export type PresenceClientErrorCode =
  | 'INVALID_OPTIONS'
  | 'INVALID_AUTH_RESPONSE'
  | 'NETWORK_ERROR'
  | 'HTTP_ERROR'
  | 'MEMBER_LIMIT'
  | 'SUBSCRIPTION_ERROR'
  | 'INVALID_EVENT'

/**
 * One member of a presence channel.
 *
 * @typeParam Info - the shape of `user_info` returned by the server's authorizer.
 */
export interface Member<Info = unknown> {
  /** The `user_id` (always a string). */
  readonly id: string
  /** The `user_info` the server signed for this user. */
  readonly info: Info
}

/**
 * An immutable view of one channel: its status and, for presence channels,
 * its members. A new object is created on every change; unchanged reads
 * return the same object.
 *
 * @typeParam Info - the shape of `user_info`.
 */
export interface MemberSnapshot<Info = unknown> {
  /** Where the subscription stands. */
  readonly status: ChannelStatus
  /** Members keyed by user id, deduplicated (two tabs of one user = one member). */
  readonly members: ReadonlyMap<string, Member<Info>>
  /** The current user, once `subscription_succeeded` arrived; `null` otherwise. */
  readonly me: Member<Info> | null
  /** `members.size`. */
  readonly count: number
  /** Why the channel is not subscribed; `null` unless status is `unauthenticated`, `forbidden` or `error`. */
  readonly error: ChannelError | null
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
 * pusher-js connection states (`pusher.connection.state`).
 */
export type ConnectionState =
  | 'initialized'
  | 'connecting'
  | 'connected'
  | 'unavailable'
  | 'failed'
  | 'disconnected'

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
   * Extra request headers (e.g. `Authorization: Bearer …` in an extension).
   * A function is called before every request, including retries.
   * @default {} (none)
   */
  headers?: HeadersOption
  /**
   * How long to wait for more channels before sending a batch, in milliseconds.
   * With `0`, the channels subscribed in one task (a page's subscription loop,
   * the effects of one React commit, pusher-js's resubscribe after a
   * reconnect) are sent at the end of that task, with no wait. A longer window
   * suits apps that subscribe across tasks (e.g. one channel after each of
   * several fetches). Either way, channels asked for while a batch is in
   * flight go together in the next request, sent when its answer is in.
   * @default 0 (the end of the task)
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
 * Where the reconnection stands (`client.recovery`).
 *
 * - `off`: connected, not connected yet, disconnected by the app, or
 *   `reconnect: false`.
 * - `attempting`: the connection was lost; an attempt is in flight.
 * - `waiting`: that attempt failed; the next starts after `delayMs`.
 */
export interface RecoverySnapshot {
  /** The phase. */
  readonly phase: 'off' | 'attempting' | 'waiting'
  /** Retries started by the client since the connection was lost (0 for pusher-js's own first retry). */
  readonly attempt: number
  /** While `waiting`: the delay drawn for the next attempt, in milliseconds; otherwise `null`. */
  readonly delayMs: number | null
}

/**
 * A reference to a subscription, from `client.subscribe(name)`.
 */
export interface SubscriptionHandle {
  /** The channel name. */
  readonly name: string
  /**
   * The pusher-js channel, while one exists (a presence channel waiting for
   * a user has none).
   */
  readonly channel: Channel | undefined
  /**
   * Drops this reference; the last one unsubscribes after `graceMs`.
   * Calling it twice is harmless.
   */
  release(): void
}

/**
 * A handler for a channel event, called with the event's data.
 *
 * @typeParam Data - the event payload type.
 */
export type EventHandler<Data = unknown> = (data: Data) => void

/**
 * The client: a batching authorizer, reference-counted subscriptions, member
 * stores and retained events on top of one pusher-js instance.
 *
 * @typeParam M - the app's channel map (see {@link Register}): it types channel names, member
 *   info and event payloads. Defaults to the registered map, or to any channel.
 */
export interface PresenceClient<M extends ChannelMap = RegisteredChannels> {
  /** The pusher-js instance in use. */
  readonly pusher: PusherLike
  /**
   * Takes a reference on a channel, subscribing on the first one. A channel
   * in `unauthenticated`/`forbidden`/`error` is retried.
   *
   * @param name - the channel name (`private-…`, `presence-…`, `private-encrypted-…`, public).
   * @returns a handle whose `release()` drops the reference.
   */
  subscribe(name: ChannelName<M>): SubscriptionHandle
  /**
   * The store of a channel's status and (presence) members. The same store
   * object is returned for the same name while the client keeps the
   * channel (see `graceMs`: a store with a listener keeps it). Reading it does
   * not subscribe.
   * Member info is typed by the channel map, or by a type argument without one
   * (`members<User>(name)`).
   *
   * @param name - the channel name.
   * @returns a store of {@link MemberSnapshot}s.
   */
  members<Given = never, N extends ChannelName<M> = ChannelName<M>>(
    name: N,
  ): Store<MemberSnapshot<GivenOr<Given, MemberInfo<M, N>>>>
  /**
   * Binds a handler to an event of a channel, across resubscriptions.
   * Retained events from the auth response reach it after
   * `pusher:subscription_succeeded`, in order, before live events.
   * Binding does not subscribe. The payload is typed by the channel map (a wrong
   * event name is a compile error), or by a type argument without one (`on<Data>(…)`).
   *
   * @param name - the channel name.
   * @param event - the event name (client events included).
   * @param handler - called with the event data.
   * @returns a function that unbinds the handler.
   */
  on<
    Given = never,
    N extends ChannelName<M> = ChannelName<M>,
    E extends EventName<M, N> = EventName<M, N>,
  >(
    name: N,
    event: E,
    handler: EventHandler<GivenOr<NoInfer<Given>, EventData<M, N, E>>>,
  ): () => void
  /**
   * Sets or clears the user. Presence channels are joined only while a user
   * is set and left when it is cleared; a different id rejoins them.
   *
   * @param user - the signed-in user, or `null` when signed out.
   */
  setUser(user: PresenceUser | null): void
  /** The current user (`undefined` until set when not gated). */
  readonly user: Store<PresenceUser | null | undefined>
  /** User ids present in any joined presence channel ("active now" badges). */
  readonly online: Store<ReadonlySet<string>>
  /** pusher-js's connection state. */
  readonly connection: Store<ConnectionState>
  /** The reconnection after a lost connection: phase, retry count and the delay drawn. */
  readonly recovery: Store<RecoverySnapshot>
  /** Disconnects the socket; subscriptions are kept and resumed by `pusher.connect()`. */
  disconnect(): void
  /**
   * Unsubscribes everything, unbinds every handler and disconnects a pusher-js
   * instance the client created. The client is unusable afterwards.
   */
  destroy(): void
}
