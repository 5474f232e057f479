import type { ParsedChannel } from './channel.js'
import type { PresenceError } from './errors.js'
import type { PatternParams } from './pattern.js'
import type { PresenceRequest, Session } from './session/types.js'

/** A value or a promise of it. */
export type Awaitable<T> = T | Promise<T>

/** An event delivered to a subscriber right after it subscribes (a batch authentication service's retained events). */
export interface RetainedEvent {
  /** Event name, e.g. `'stream.online'`. */
  event: string
  /** Event payload (JSON-serializable). */
  data: unknown
}

/** What an authorizer (and a retained-event provider) receives. */
export interface AuthorizeContext<P extends string = string, U = Session | null> {
  /** The session, or `null` for definitions with `user: 'optional'`. */
  readonly user: U
  /** Values of the pattern's `{params}`. */
  readonly params: PatternParams<P>
  /** The parsed channel name. */
  readonly channel: ParsedChannel
  /** The subscriber's socket id. */
  readonly socketId: string
  /** The client id from the `clientId` option (a batch authentication service's `X-Client-ID`), or `null`. */
  readonly clientId: string | null
  /** The request (Fetch `Request` surface; `raw` holds the framework request when adapted). */
  readonly request: PresenceRequest
  /** Aborted when the channel's time limit expires. */
  readonly signal: AbortSignal
}

/** Allow a private channel, with retained events delivered on subscription. */
export interface PrivateAllow {
  events?: RetainedEvent[]
}

/**
 * What a private-channel authorizer returns: `true` (allow), `false`
 * (`CHANNEL_FORBIDDEN`), `deny(code, message?)`, or `{ events }` (allow with events).
 */
export type PrivateAuthorizeResult = boolean | PresenceError | PrivateAllow

/** Presence member data: `user_id` (non-empty, ≤ 128 chars) and public `user_info`. */
export interface PresenceMember {
  user_id: string
  user_info?: unknown
}

/**
 * What a presence-channel authorizer returns: `{ user_id, user_info }`
 * (allow), `true` (allow as `{ user_id: session.userId }`), `false` or `deny(...)`.
 */
export type PresenceAuthorizeResult = boolean | PresenceError | PresenceMember

/** The result type for a pattern: presence patterns return member data. */
export type AuthorizeResultFor<P extends string> = P extends `presence-${string}`
  ? PresenceAuthorizeResult
  : PrivateAuthorizeResult

/** An authorizer for a pattern. */
export type Authorizer<P extends string = string, U = Session | null> = (
  ctx: AuthorizeContext<P, U>,
) => Awaitable<AuthorizeResultFor<P>>

/** A retained-event provider: returns events to deliver on subscription. */
export type RetainedEventProvider<P extends string = string> = (
  ctx: AuthorizeContext<P>,
) => Awaitable<readonly RetainedEvent[] | null | undefined>

interface DefinitionBase<P extends string> {
  /**
   * Time limit for `authorize` and the retained-event providers, in ms.
   * @default 4000 for presence channels and `priority: 'high'`, else 2000
   */
  timeoutMs?: number
  /** `'high'` raises the default time limit to 4000 ms (a batch authentication service's private-stream). */
  priority?: 'high' | 'normal'
  /**
   * Cache allowed results (needs the server's `cache` option). Private
   * channels are cached per channel (the `encrypted-` part folded away),
   * client id and user; presence channels per channel and user.
   * A hit skips `authorize` and `retain`, never the session check.
   */
  cache?: { ttlMs: number }
  /** Retained-event providers for this definition; results are merged into `events`. */
  retain?: readonly RetainedEventProvider<P>[]
}

/** A definition whose channels need a session (`ctx.user` is a {@link Session}). */
export interface RequiredUserDefinition<P extends string = string> extends DefinitionBase<P> {
  /** `'required'`: without a session the channel gets 401 `UNAUTHENTICATED`. @default 'required' */
  user?: 'required'
  authorize: Authorizer<P, Session>
}

/** A definition whose channels also serve anonymous callers (`ctx.user` may be `null`). */
export interface OptionalUserDefinition<P extends string = string> extends DefinitionBase<P> {
  /** `'optional'`: anonymous callers reach `authorize` with `user: null` (a batch authentication service). */
  user: 'optional'
  authorize: Authorizer<P, Session | null>
}

/**
 * A bare authorize function (`user: 'required'`). The `never`-like members let
 * TypeScript tell it from the object forms when typing `ctx` contextually.
 */
export type BareAuthorizer<P extends string = string> = Authorizer<P, Session> & {
  readonly authorize?: undefined
  readonly user?: undefined
}

/** A channel definition: an object, or a bare authorize function (`user: 'required'`). */
export type ChannelDefinition<P extends string = string> =
  | RequiredUserDefinition<P>
  | OptionalUserDefinition<P>
  | BareAuthorizer<P>

/** The `channels` option: pattern → definition, `params` typed from each pattern. */
export type ChannelDefinitions<K extends string = string> = { [P in K]: ChannelDefinition<P> }
