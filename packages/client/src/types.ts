/**
 * The client's own interface: what `createPresenceClient` returns, its subscription handles
 * and event handlers. Options, snapshots and errors have their own modules.
 *
 * @module
 */
import type { Channel } from 'pusher-js'
import type {
  ChannelMap,
  ChannelName,
  EventData,
  EventName,
  GivenOr,
  MemberInfo,
  MemberState,
  Register,
  RegisteredChannels,
  WhisperName,
} from './channel-map.js'
import type { PresenceUser, PusherLike } from './options.js'
import type {
  ConnectionState,
  MemberSnapshot,
  RecoverySnapshot,
  SignInSnapshot,
  Store,
  TabsSnapshot,
} from './snapshots.js'

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
  /**
   * The pusher-js instance in use. With `tabs: 'shared'`, only the leading tab has one:
   * reading it in a follower throws `FOLLOWER_TAB`.
   */
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
  ): Store<MemberSnapshot<GivenOr<Given, MemberInfo<M, N>>, MemberState<M, N>>>
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
   * Merges `patch` into this user's live state on a presence channel (a shallow merge) and
   * sends it to the other members, who read it as `member.state`; this user reads it as
   * `me.state` at once. State travels as client events (the websocket server must allow
   * them), coalesced and paced to 10 per second; members who join later receive it too. It is
   * kept across reconnections and sent again once subscribed. Attributed by the websocket
   * server to this connection's user, so no one can publish a state for someone else.
   *
   * @param name - the presence channel.
   * @param patch - the keys to set (typed by the channel map's `state`).
   * @example
   * ```ts
   * client.updateMyState('presence-room@42', { typing: true })
   * ```
   */
  updateMyState<N extends ChannelName<M>>(name: N, patch: Partial<MemberState<M, N>>): void
  /**
   * Sends the client event `client-<event>` on a private or presence channel, to its other
   * subscribers (`client.on(name, 'client-<event>', handler)`), typed by the channel map.
   * Sent once the channel is subscribed (dropped otherwise), paced with the state updates to
   * 10 per second; the websocket server must allow client events.
   *
   * @param name - the channel.
   * @param event - the event name without its `client-` prefix.
   * @param data - the payload of `client-<event>`.
   * @example
   * ```ts
   * client.whisper('presence-room@42', 'wave', { to: 'ada' }) // sends client-wave
   * ```
   */
  whisper<N extends ChannelName<M>, E extends WhisperName<M, N>>(
    name: N,
    event: E,
    data: EventData<M, N, `client-${E}`>,
  ): void
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
  /** The connection's sign-in (`revoked` when the app server ended this user's connections). */
  readonly signIn: Store<SignInSnapshot>
  /** Whether this tab holds its own connection, leads the shared one, or follows it. */
  readonly tabs: Store<TabsSnapshot>
  /** Disconnects the socket; subscriptions are kept and resumed by `pusher.connect()`. */
  disconnect(): void
  /**
   * Unsubscribes everything, unbinds every handler and disconnects a pusher-js
   * instance the client created. The client is unusable afterwards.
   */
  destroy(): void
}
