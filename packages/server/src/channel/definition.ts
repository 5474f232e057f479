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

/**
 * What the authorizer (and the retained-event providers) of a shared answer receives
 * (`cache: { scope: 'channel' }`): everything but the caller, because the one answer is served to
 * every caller. {@link AuthorizeContext} adds `user`.
 */
export interface SharedAuthorizeContext<P extends string = string> {
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

/** What an authorizer (and a retained-event provider) receives. */
export interface AuthorizeContext<P extends string = string, U = Session | null>
  extends SharedAuthorizeContext<P> {
  /**
   * The session, or `null` for definitions with `user: 'optional'`. Absent for definitions with
   * `cache: { scope: 'channel' }`: their one answer is served to every caller. Their `ctx` is then
   * typed {@link SharedAuthorizeContext} (no `user`) when the scope is written in the definition
   * (in `createPresenceServer`'s `channels`, `defineChannel` or `defineChannels`); a scope only
   * known at run time (a `CacheOption` variable) keeps this `user` in the type though it is absent.
   */
  readonly user: U
}

/**
 * The `ctx` of a definition's authorizer and retained-event providers: {@link SharedAuthorizeContext}
 * (no `user`) when the definition's `cache` option `C` has `scope: 'channel'`, else
 * {@link AuthorizeContext} with `user: U`.
 *
 * @typeParam P - the channel pattern.
 * @typeParam U - the type of `ctx.user`.
 * @typeParam C - the type of the definition's `cache` option, as written (`unknown` when absent
 *   or not known).
 */
export type AuthorizeContextFor<P extends string = string, U = Session | null, C = unknown> = [
  CacheScopeOf<C>,
] extends [never]
  ? AuthorizeContext<P, U>
  : [CacheScopeOf<C>] extends ['channel']
    ? SharedAuthorizeContext<P>
    : AuthorizeContext<P, U>

/**
 * The `scope` of a `cache` option type `C`, or `never` (no cache). Read through an indexed access,
 * not `C extends { scope: ... }`: the option as inferred from a definition written inline is still
 * a fresh object literal type, which an `extends` check would refuse for its extra `ttlMs`.
 */
type CacheScopeOf<C> = C extends object ? C['scope' & keyof C] : never

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

/**
 * An authorizer for a pattern.
 *
 * @typeParam C - the definition's `cache` option: `scope: 'channel'` leaves `user` out of `ctx`.
 */
export type Authorizer<P extends string = string, U = Session | null, C = unknown> = (
  ctx: AuthorizeContextFor<P, U, C>,
) => Awaitable<AuthorizeResultFor<P>>

/**
 * A retained-event provider: returns events to deliver on subscription.
 *
 * @typeParam C - the definition's `cache` option: `scope: 'channel'` leaves `user` out of `ctx`.
 */
export type RetainedEventProvider<
  P extends string = string,
  S extends Session = Session,
  C = unknown,
> = (
  ctx: AuthorizeContextFor<P, S | null, C>,
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

interface DefinitionBase<P extends string, S extends Session, C> {
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
   * (absent at run time, and not in the type: `ctx` is a {@link SharedAuthorizeContext}),
   * nor has the `ctx` of any retained-event provider, server-wide ones included (their type
   * keeps `user`: check `'user' in ctx`). The type drops `user` when the scope is written in
   * the definition (`createPresenceServer`'s `channels`, `defineChannel`, `defineChannels`);
   * a scope only known at run time (a `CacheOption` variable) does not. Presence joins always
   * run `authorize`; their member data is written for webhook handlers
   * (`cachedMember()`), and presence definitions take scope `'user'` only.
   * A hit skips `authorize` and `retain`, never the session check.
   * @default undefined (not cached)
   */
  cache?: CacheOption & C
  /** Retained-event providers for this definition; results are merged into `events`. */
  retain?: readonly RetainedEventProvider<P, S, C>[]
}

/**
 * A definition whose channels need a session (`ctx.user` is the session adapter's
 * session type `S`).
 */
export interface RequiredUserDefinition<
  P extends string = string,
  S extends Session = Session,
  C = unknown,
> extends DefinitionBase<P, S, C> {
  /** `'required'`: without a session the channel gets 401 `UNAUTHENTICATED`. @default 'required' */
  user?: 'required'
  /** Decides the channel; `ctx.user` is the session (none under `cache: { scope: 'channel' }`). */
  authorize: Authorizer<P, S, C>
}

/** A definition whose channels also serve anonymous callers (`ctx.user` may be `null`). */
export interface OptionalUserDefinition<
  P extends string = string,
  S extends Session = Session,
  C = unknown,
> extends DefinitionBase<P, S, C> {
  /** `'optional'`: anonymous callers reach `authorize` with `user: null` (public content anyone may open). */
  user: 'optional'
  /** Decides the channel; `ctx.user` is the session or `null` (none under `cache: { scope: 'channel' }`). */
  authorize: Authorizer<P, S | null, C>
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
 * @typeParam C - the type of the `cache` option as written: `scope: 'channel'` leaves `user` out
 *   of `ctx` ({@link AuthorizeContextFor}). `unknown` (the default) keeps it.
 */
export type ChannelDefinition<P extends string = string, S extends Session = Session, C = unknown> =
  | RequiredUserDefinition<P, S, C>
  | OptionalUserDefinition<P, S, C>
  | BareAuthorizer<P, S>

/**
 * The `channels` option: pattern → definition, `params` typed from each pattern and `user`
 * from the session adapter (none under `cache: { scope: 'channel' }`).
 *
 * @typeParam K - the patterns.
 * @typeParam S - the session type of the server's session adapter.
 * @typeParam C - pattern → the type of that definition's `cache` option (inferred by
 *   `createPresenceServer` from the definitions as written).
 */
export type ChannelDefinitions<
  K extends string = string,
  S extends Session = Session,
  C = Record<K, unknown>,
> = {
  [P in keyof C]: ChannelDefinition<P & string, S, C[P]>
} & {
  // Infers K from the keys even when no definition has a part TypeScript infers C from
  // (every definition a bare or context-sensitive authorizer): C then defaults to Record<K, unknown>.
  [P in K]: unknown
}
