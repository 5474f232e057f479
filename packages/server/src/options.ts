import type { Awaitable } from './awaitable.js'
import type { CacheAdapter } from './cache/types.js'
import type {
  AuthorizeContext,
  ChannelDefinitions,
  RetainedEvent,
  SharedAuthorizeContext,
} from './channel/definition.js'
import type { CorsOptions } from './http/cors.js'
import type { DecisionEvent } from './pipeline/decision-event.js'
import type { RestClient } from './revocation.js'
import type { PresenceRequest, Session, SessionAdapter } from './session/types.js'
import type { PusherLike } from './signer/from-pusher.js'
import type { Signer, UserData } from './signer/signer.js'
import type { Timers } from './timers.js'
import type { WebhookHandlers } from './webhook/types.js'

/** Request limits. */
export interface LimitOptions {
  /** Channels per batch request; more → 413 `TOO_MANY_CHANNELS`. @default 100 */
  maxChannels?: number
  /** Body size in bytes; more → 413 `PAYLOAD_TOO_LARGE`. @default 65536 */
  maxBodyBytes?: number
  /** Channels of one batch authorized at the same time. @default 16 */
  concurrency?: number
  /**
   * Authorizer calls running at once in this server instance, across all requests. A channel
   * that finds no free slot waits in a lane: `high` (presence and `priority: 'high'`) is always
   * served before `normal`, and within a lane sessions take turns (an anonymous request is its
   * own turn), so one session's flood cannot starve another's request. A channel still waiting
   * when its time limit runs out answers `TIMEOUT` without its authorizer being called.
   * `DecisionEvent.queuedMs` reports each wait.
   * @default 256
   */
  maxInFlight?: number
  /**
   * Authorizer calls abandoned at their time limit (an authorizer that ignores its `signal`)
   * that may keep running without a slot. An abandoned call gives its slot back at its limit
   * and is counted (`DecisionEvent.abandonedCalls`) until it settles; past this cap, a
   * timed-out call keeps its slot until it settles, so at most `maxInFlight + maxAbandoned`
   * authorizer calls ever run at once.
   * @default the value of `maxInFlight`
   */
  maxAbandoned?: number
  /**
   * Bound of a grant cache read, in ms: a slower read is bypassed (the
   * authorizer decides) and reported as `cacheError`. Also bounds how long a
   * write is waited for before its `onDecision` event is sent (the answer
   * never waits for a write).
   * @default 100
   */
  cacheTimeoutMs?: number
  /** Cache writes pending at once; more are dropped and reported. @default 100 */
  maxCacheWritesInFlight?: number
  /**
   * Time allowed to receive the request body in the Node and Express
   * adapters, in ms; slower → 408 `REQUEST_TIMEOUT` and the connection is closed.
   * @default 10000
   */
  bodyTimeoutMs?: number
  /**
   * How far a webhook's `time_ms` may be from this server's clock, in ms: an
   * older (or later) delivery is refused with 401 `WEBHOOK_EXPIRED`, so a
   * captured delivery cannot be replayed. Deliveries inside the window are
   * handled once each (remembered in `cache` when it has `increment`, else in
   * process).
   * @default 300000 (5 min)
   */
  webhookMaxAgeMs?: number
}

/**
 * A server-wide retained-event provider (the `retain` option): it runs for every allowed channel,
 * shared answers (`cache: { scope: 'channel' }`, whose `ctx` has no `user`) included.
 *
 * @typeParam S - the session type of the server's session adapter.
 */
export type ServerRetainedEventProvider<S extends Session = Session> = (
  ctx: AuthorizeContext<string, S | null> | SharedAuthorizeContext,
) => Awaitable<readonly RetainedEvent[] | null | undefined>

/**
 * Options of `createPresenceServer`. `K` is the union of channel patterns, so
 * each authorizer's `params` is typed from its pattern; `S` is the session
 * adapter's session type, so each authorizer's `ctx.user` is typed from it; `C`
 * maps each pattern to its definition's `cache` option as written, so a
 * definition with `cache: { scope: 'channel' }` has no `ctx.user`.
 */
export interface PresenceServerOptions<
  K extends string = string,
  S extends Session = Session,
  C = Record<K, unknown>,
> {
  /** `createSigner({ key, secret, ... })` or a `pusher` instance. */
  signer: Signer | PusherLike
  /** Resolves who is asking; throwing means the backend failed (503 `UNAVAILABLE`). */
  session: SessionAdapter<S>
  /** Pattern → definition (or bare authorize function). */
  channels: ChannelDefinitions<K, S, C>
  /** Grant cache of the definitions with `cache: { ttlMs, scope }`. @default undefined (no cache) */
  cache?: CacheAdapter
  /**
   * Retained-event providers run for every allowed channel; results merged into `events`.
   * Their `ctx` has no `user` for a shared answer (`cache: { scope: 'channel' }`), so it is typed
   * {@link AuthorizeContext} or {@link SharedAuthorizeContext}: check `'user' in ctx` before
   * reading the caller.
   * @default []
   */
  retain?: readonly ServerRetainedEventProvider<S>[]
  /** Allowed browser origins; enables preflight answers. @default undefined (no CORS headers, same-origin only) */
  cors?: CorsOptions | readonly string[]
  /** Headers added to every answer (e.g. `{ 'Accept-CH': 'DPR' }`). @default {} */
  responseHeaders?: Readonly<Record<string, string>>
  /** The caller's client id, in `ctx.clientId` (e.g. `(r) => r.headers.get('x-client-id')`); never part of a cache key. @default () => null */
  clientId?: (request: PresenceRequest) => string | null | undefined
  /** Called once per channel decision; must not throw (errors are swallowed). @default undefined */
  onDecision?: (event: DecisionEvent) => void
  /**
   * Add `message` and `trace` to error bodies.
   * @default process.env.NODE_ENV === 'development'
   */
  debug?: boolean
  /** Request limits. @default \{ maxChannels: 100, maxBodyBytes: 65536, concurrency: 16, maxInFlight: 256, maxAbandoned: 256, cacheTimeoutMs: 100, maxCacheWritesInFlight: 100, bodyTimeoutMs: 10000 \} */
  limits?: LimitOptions
  /**
   * User data for `handlers.userAuth` (pusher-js `signin()`): `{ id, user_info?, watchlist? }`.
   * Serialized, it may not exceed the signer's `maxUserDataBytes` (8 KB by default): larger
   * data answers 500 `USER_DATA_INVALID` and nothing is signed.
   * @default (session) => ({ id: session.userId })
   */
  userData?: (session: S, request: PresenceRequest) => UserData | Promise<UserData>
  /** Clock and timers. @default the runtime's */
  timers?: Timers
  /** Webhook handlers per event name (see `handlers.webhook`). @default {} (verify and acknowledge) */
  webhooks?: WebhookHandlers
  /**
   * The websocket server's REST API, for `presence.revokeUser`: a `pusher` instance
   * (`new Pusher({ appId, key, secret, ... })`), whose `terminateUserConnections` ends a
   * user's signed-in connections.
   * @default undefined (`revokeUser` revokes cached grants, then rejects with `CONFIG_INVALID`)
   */
  rest?: RestClient
}

export type { CorsOptions, DecisionEvent }
