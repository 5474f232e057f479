import type { CacheAdapter } from './cache/types.js'
import type { ChannelType } from './channel.js'
import type { ChannelDefinitions, RetainedEventProvider } from './definition.js'
import type { ErrorCode } from './errors.js'
import type { PresenceRequest, Session, SessionAdapter } from './session/types.js'
import type { PusherLike } from './signer/from-pusher.js'
import type { Signer, UserData } from './signer/signer.js'
import type { Timers } from './timers.js'
import type { WebhookHandlers } from './webhook/types.js'

/** CORS for browser and extension callers. */
export interface CorsOptions {
  /** Exact origins allowed, e.g. `'https://app.example.com'`, `'chrome-extension://<id>'`. */
  origins: readonly string[]
  /** Send `Access-Control-Allow-Credentials: true` to listed origins. @default true */
  credentials?: boolean
  /** Request headers allowed besides `Authorization` and `Content-Type` (e.g. `'X-Client-ID'`). @default [] */
  allowHeaders?: readonly string[]
  /** `Access-Control-Max-Age` of preflight answers, in seconds. @default 600 */
  maxAgeSeconds?: number
}

/** Request limits. */
export interface LimitOptions {
  /** Channels per batch request; more → 413 `TOO_MANY_CHANNELS`. @default 100 */
  maxChannels?: number
  /** Body size in bytes; more → 413 `PAYLOAD_TOO_LARGE`. @default 65536 */
  maxBodyBytes?: number
  /** Channels of one batch authorized at the same time. @default 16 */
  concurrency?: number
  /** Time limit of a cache read or write, in ms; a slower cache is bypassed. @default 100 */
  cacheTimeoutMs?: number
}

/** Reported once per channel decision (counters, logs, a batch authentication service's authorization errors). */
export interface DecisionEvent {
  /** The channel name as requested. */
  channel: string
  /** Parsed type, or `null` when the name was invalid. */
  type: ChannelType | null
  /** Parsed feature, or `null` when the name was invalid. */
  feature: string | null
  /** `'allow'` (signed), `'deny'` (4xx) or `'error'` (5xx: INTERNAL, UNAVAILABLE...). */
  outcome: 'allow' | 'deny' | 'error'
  /** The error code for deny/error. */
  code: ErrorCode | null
  /** The HTTP status this channel got. */
  status: number
  /** Time spent on this channel, in ms. */
  durationMs: number
  /** `true` when the grant came from the cache (the authorizer was skipped). */
  cached: boolean
  /** The cache failure that was bypassed, if any. */
  cacheError?: Error
  /** The cause of an `'error'` outcome (e.g. what an authorizer threw). */
  cause?: unknown
  /** The session's user id, or `null`. */
  userId: string | null
  /** Which handler decided. */
  handler: 'auth' | 'batch'
}

/**
 * Options of `createPresenceServer`. `K` is the union of channel patterns, so
 * each authorizer's `params` is typed from its pattern.
 */
export interface PresenceServerOptions<K extends string = string, S extends Session = Session> {
  /** `createSigner({ key, secret, ... })` or a `pusher` instance. */
  signer: Signer | PusherLike
  /** Resolves who is asking; throwing means the backend failed (503 `UNAVAILABLE`). */
  session: SessionAdapter<S>
  /** Pattern → definition (or bare authorize function). */
  channels: ChannelDefinitions<K>
  /** Cache for grants of definitions with `cache: { ttlMs }`. @default undefined (no cache) */
  cache?: CacheAdapter
  /** Retained-event providers run for every allowed channel; results merged into `events`. @default [] */
  retain?: readonly RetainedEventProvider[]
  /** Allowed browser origins; enables preflight answers. @default undefined (no CORS headers, same-origin only) */
  cors?: CorsOptions | readonly string[]
  /** Headers added to every answer (e.g. `{ 'Accept-CH': 'DPR' }`). @default {} */
  responseHeaders?: Readonly<Record<string, string>>
  /** The caller's client id (a batch authentication service: `(r) => r.headers.get('x-client-id')`). @default () => null */
  clientId?: (request: PresenceRequest) => string | null | undefined
  /** Called once per channel decision; must not throw (errors are swallowed). @default undefined */
  onDecision?: (event: DecisionEvent) => void
  /**
   * Add `message` and `trace` to error bodies.
   * @default process.env.NODE_ENV === 'development'
   */
  debug?: boolean
  /** Request limits. @default \{ maxChannels: 100, maxBodyBytes: 65536, concurrency: 16, cacheTimeoutMs: 100 \} */
  limits?: LimitOptions
  /** User data for `handlers.userAuth` (pusher-js `signin()`). @default (session) => ({ id: session.userId }) */
  userData?: (session: S, request: PresenceRequest) => UserData | Promise<UserData>
  /** Clock and timers. @default the runtime's */
  timers?: Timers
  /** Webhook handlers per event name (see `handlers.webhook`). @default {} (verify and acknowledge) */
  webhooks?: WebhookHandlers
}
