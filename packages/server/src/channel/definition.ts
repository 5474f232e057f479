import type { Awaitable } from '../awaitable.js'
import type { PresenceError } from '../errors.js'
import type { PresenceRequest, Session } from '../session/types.js'
import type { ParsedChannel } from './name.js'
import type { PatternParams } from './pattern.js'

/** An event delivered to a subscriber right after it subscribes (e.g. the channel's current state). */
export interface RetainedEvent {
  /** Event name, e.g. `'stream.online'`. */
  event: string
  /** Event payload (JSON-serializable). */
  data: unknown
}

/** What an authorizer (and a retained-event provider) receives. */
export interface AuthorizeContext<P extends string = string, U = Session | null> {
  /**
   * The session, or `null` for definitions with `user: 'optional'`. Absent for definitions with
   * `cache: { scope: 'channel' }`: their one answer is served to every caller.
   */
  readonly user: U
  /** Values of the pattern's `{params}`. */
  readonly params: PatternParams<P>
  /** The parsed channel name. */
  readonly channel: ParsedChannel
  /** The subscriber's socket id. */
  readonly socketId: string
  /** The client id from the `clientId` option (e.g. an `X-Client-ID` header), or `null`. */
  readonly clientId: string | null
  /** The request (Fetch `Request` surface; `raw` holds the framework request when adapted). */
  readonly request: PresenceRequest
  /** Aborted when the channel's time limit expires. */
  readonly signal: AbortSignal
}

/** Allow a private channel, with retained events delivered on subscription. */
export interface PrivateAllow {
  /** Retained events (an array, possibly empty). */
  events: RetainedEvent[]
}

/**
 * What a private-channel authorizer returns: `true` (allow), `false`
 * (`CHANNEL_FORBIDDEN`), `deny(code, message?)`, or `{ events: [...] }`
 * (allow with retained events). Anything else is 500
 * `INVALID_AUTHORIZER_RESULT`.
 */
export type PrivateAuthorizeResult = boolean | PresenceError | PrivateAllow

/** Presence member data: `user_id` (non-empty, ≤ 128 chars) and public `user_info`. */
export interface PresenceMember {
  user_id: string
  user_info?: unknown
}

/** Presence member data as an authorizer returns it: `user_id` may be a number (sent as its decimal string). */
export interface PresenceMemberResult {
  /** A non-empty string (at most 128 characters) or a finite number. */
  user_id: string | number
  /** Public data about the member: a plain object. */
  user_info?: object
}

/**
 * What a presence-channel authorizer returns: `{ user_id, user_info? }`
 * (allow), `false` (`CHANNEL_FORBIDDEN`) or `deny(...)`. Anything else is
 * 500 `INVALID_AUTHORIZER_RESULT`.
 */
export type PresenceAuthorizeResult = false | PresenceError | PresenceMemberResult

/** The result type for a pattern: presence patterns return member data. */
export type AuthorizeResultFor<P extends string> = P extends `presence-${string}`
  ? PresenceAuthorizeResult
  : PrivateAuthorizeResult

/** An authorizer for a pattern. */
export type Authorizer<P extends string = string, U = Session | null> = (
  ctx: AuthorizeContext<P, U>,
) => Awaitable<AuthorizeResultFor<P>>

/** A retained-event provider: returns events to deliver on subscription. */
export type RetainedEventProvider<P extends string = string, S extends Session = Session> = (
  ctx: AuthorizeContext<P, S | null>,
) => Awaitable<readonly RetainedEvent[] | null | undefined>

/**
 * How cached grants are shared: `'user'` per (channel, user id), `'channel'`
 * per channel for every caller.
 */
export type CacheScope = 'user' | 'channel'

/** The `cache` field of a definition. */
export interface CacheOption {
  /** Lifetime of a cached grant, in ms (a revocation takes effect at the latest after it). */
  ttlMs: number
  /** Who shares a cached grant. Required. */
  scope: CacheScope
}

interface DefinitionBase<P extends string, S extends Session> {
  /**
   * Time limit for `authorize` and the retained-event providers, in ms.
   * @default 4000 for presence channels and `priority: 'high'`, else 2000
   */
  timeoutMs?: number
  /** `'high'` raises the default time limit to 4000 ms (e.g. a stream page's main channel). */
  priority?: 'high' | 'normal'
  /**
   * Cache this definition's "yes" answers in the server's `cache` (the
   * authorizer's data, never a signature, never a refusal). `scope` is
   * required: `'user'` keys a grant by the full channel name and the user id
   * (callers without a session are never cached); `'channel'` by the full
   * channel name alone, one answer for every caller: then `ctx` has no `user`
   * (the property is absent at runtime; read nothing about the caller), nor has
   * the `ctx` of any retained-event provider, server-wide ones included. Presence joins always
   * run `authorize`; their member data is written for webhook handlers
   * (`cachedMember()`), and presence definitions take scope `'user'` only.
   * A hit skips `authorize` and `retain`, never the session check.
   * @default undefined (not cached)
   */
  cache?: CacheOption
  /** Retained-event providers for this definition; results are merged into `events`. */
  retain?: readonly RetainedEventProvider<P, S>[]
}

/**
 * A definition whose channels need a session (`ctx.user` is the session adapter's
 * session type `S`).
 */
export interface RequiredUserDefinition<P extends string = string, S extends Session = Session>
  extends DefinitionBase<P, S> {
  /** `'required'`: without a session the channel gets 401 `UNAUTHENTICATED`. @default 'required' */
  user?: 'required'
  /** Decides the channel; `ctx.user` is the session. */
  authorize: Authorizer<P, S>
}

/** A definition whose channels also serve anonymous callers (`ctx.user` may be `null`). */
export interface OptionalUserDefinition<P extends string = string, S extends Session = Session>
  extends DefinitionBase<P, S> {
  /** `'optional'`: anonymous callers reach `authorize` with `user: null` (public content anyone may open). */
  user: 'optional'
  /** Decides the channel; `ctx.user` is the session or `null`. */
  authorize: Authorizer<P, S | null>
}

/**
 * A bare authorize function (`user: 'required'`). The `never`-like members let
 * TypeScript tell it from the object forms when typing `ctx` contextually.
 */
export type BareAuthorizer<P extends string = string, S extends Session = Session> = Authorizer<
  P,
  S
> & {
  readonly authorize?: undefined
  readonly user?: undefined
}

/**
 * A channel definition: an object, or a bare authorize function (`user: 'required'`).
 *
 * @typeParam P - the channel pattern: types `ctx.params`.
 * @typeParam S - the session type of the server's session adapter: types `ctx.user`.
 */
export type ChannelDefinition<P extends string = string, S extends Session = Session> =
  | RequiredUserDefinition<P, S>
  | OptionalUserDefinition<P, S>
  | BareAuthorizer<P, S>

/**
 * The `channels` option: pattern → definition, `params` typed from each pattern and `user`
 * from the session adapter.
 */
export type ChannelDefinitions<K extends string = string, S extends Session = Session> = {
  [P in K]: ChannelDefinition<P, S>
}
