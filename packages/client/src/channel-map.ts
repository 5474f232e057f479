/**
 * The app's channel map: which member info and which events each channel carries, declared
 * once and read by the client and the React hooks.
 *
 * ```ts
 * // channels.ts, shared by the app's server and browser code
 * export type AppChannels = {
 *   'presence-room@{roomId}': { member: { name: string }; events: { message: { text: string } } }
 *   'private-doc@{docId}': { events: { updated: { rev: number } } }
 * }
 *
 * declare module '@presence/client' {
 *   interface Register {
 *     channels: AppChannels
 *   }
 * }
 * ```
 *
 * Keys are the server's channel patterns: a `{param}` segment stands for any text, so
 * `'presence-room@42'` and `` `presence-room@${id}` `` both belong to `'presence-room@{roomId}'`.
 * A literal pattern wins over one with params, as on the server.
 *
 * @module
 */

/**
 * What one channel carries.
 *
 * @typeParam Member - the `user_info` the server signs for each member (presence channels).
 * @typeParam Events - event name → payload.
 * @typeParam State - the live state each member publishes with `updateMyState` (presence channels).
 */
export interface ChannelSpec<
  Member = unknown,
  Events extends EventMap = EventMap,
  State extends object = object,
> {
  /** The `user_info` of each member (presence channels). */
  member?: Member
  /** Event name → payload type (`client-` events included). */
  events?: Events
  /** The live state of each member (presence channels): an object, merged shallowly. */
  state?: State
}

/** A member's live state when the channel map declares none: any object. */
export type AnyState = { readonly [key: string]: unknown }

/** Event name → payload type. */
export type EventMap = { [event: string]: unknown }

/**
 * An app's channel map: a server pattern (`'presence-room@{roomId}'`) → its {@link ChannelSpec}.
 */
export type ChannelMap = { [pattern: string]: ChannelSpec }

/**
 * The map used when none is declared: any channel name, `unknown` member info and payloads,
 * any event name.
 */
export type AnyChannels = { [name: string]: { member: unknown; events: EventMap } }

/**
 * Declare the app's channel map here, once, by module augmentation
 * (`declare module '@presence/client' { interface Register { channels: AppChannels } }`):
 * `createPresenceClient` and every `@presence/react` hook then read it.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the app's module augmentation
export interface Register {}

/** The map declared in {@link Register}, or {@link AnyChannels} when there is none. */
export type RegisteredChannels = Register extends { channels: infer M extends ChannelMap }
  ? M
  : AnyChannels

/**
 * The channel names a pattern stands for: each `{param}` becomes `${string}`.
 *
 * @example `PatternName<'presence-room@{roomId}'>` is `` `presence-room@${string}` ``.
 */
export type PatternName<P extends string> = P extends `${infer Head}{${string}}${infer Tail}`
  ? `${Head}${string}${PatternName<Tail>}`
  : P

/** Every channel name a map allows (`string` for {@link AnyChannels}). */
export type ChannelName<M extends ChannelMap = RegisteredChannels> = string extends keyof M
  ? string
  : { [P in keyof M & string]: PatternName<P> }[keyof M & string]

/**
 * The pattern of a map that a channel name belongs to: the name itself when it is a literal
 * pattern of the map, otherwise every pattern whose params match it.
 */
export type ChannelPattern<M extends ChannelMap, N extends string> = N extends keyof M
  ? N
  : { [P in keyof M & string]: N extends PatternName<P> ? P : never }[keyof M & string]

/** The spec of the channel `N` in the map `M`. */
type SpecOf<M extends ChannelMap, N extends string> = M[ChannelPattern<M, N>]

/** The member info (`user_info`) of the channel `N`; `unknown` when the map declares none. */
export type MemberInfo<M extends ChannelMap, N extends string> =
  SpecOf<M, N> extends {
    member?: infer I
  }
    ? unknown extends I
      ? unknown
      : Exclude<I, undefined>
    : unknown

/** The live state of each member of the channel `N`; {@link AnyState} when the map declares none. */
export type MemberState<M extends ChannelMap, N extends string> =
  SpecOf<M, N> extends {
    state?: infer S
  }
    ? object extends S
      ? AnyState
      : Exclude<S, undefined>
    : AnyState

/** The events (name → payload) of the channel `N`. */
export type ChannelEvents<M extends ChannelMap, N extends string> =
  SpecOf<M, N> extends {
    events?: infer E
  }
    ? Exclude<E, undefined>
    : Record<never, never>

/**
 * The event names of the channel `N`: the declared ones, plus pusher-js's own
 * `pusher:` events (`pusher:subscription_succeeded`, `pusher:member_added`…).
 */
export type EventName<M extends ChannelMap, N extends string> =
  | (keyof ChannelEvents<M, N> & string)
  | `pusher:${string}`

/** The payload of the event `E` on the channel `N` (`unknown` for `pusher:` events). */
export type EventData<
  M extends ChannelMap,
  N extends string,
  E extends string,
> = E extends keyof ChannelEvents<M, N> ? ChannelEvents<M, N>[E] : unknown

/**
 * `Given` when the caller wrote a type argument (`client.members<User>(name)`), otherwise
 * `FromMap`: what the channel map says.
 */
export type GivenOr<Given, FromMap> = [Given] extends [never] ? FromMap : Given

/**
 * The names `client.whisper` accepts on the channel `N`: its `client-` events without the
 * prefix (`'client-typing'` → `'typing'`); any name when the map declares no events.
 */
export type WhisperName<
  M extends ChannelMap,
  N extends string,
> = string extends keyof ChannelEvents<M, N>
  ? string
  : {
      [E in keyof ChannelEvents<M, N> & string]: E extends `client-${infer W}` ? W : never
    }[keyof ChannelEvents<M, N> & string]
