/**
 * What the client's stores hold: the store shape itself, a channel's status and members,
 * the connection state and the reconnection's progress.
 *
 * @module
 */
import type { AnyState } from './channel-map.js'
import type { ChannelError } from './errors.js'

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
 * - `reconnecting`: a presence channel that was `subscribed` when this client's connection
 *   dropped: it keeps its last members until it is subscribed again, then only the real
 *   changes are applied.
 * - `subscribed`: joined.
 * - `unauthenticated`: the auth endpoint answered 401 (no session).
 * - `forbidden`: the auth endpoint answered 403 (see `error.code`).
 * - `error`: anything else: network failure, invalid response, full channel, other 4xx/5xx.
 */
export type ChannelStatus =
  | 'idle'
  | 'subscribing'
  | 'reconnecting'
  | 'subscribed'
  | 'unauthenticated'
  | 'forbidden'
  | 'error'

/**
 * One member of a presence channel.
 *
 * @typeParam Info - the shape of `user_info` returned by the server's authorizer.
 * @typeParam State - the shape of the live state (`updateMyState`).
 */
export interface Member<Info = unknown, State = AnyState> {
  /** The `user_id` (always a string). */
  readonly id: string
  /** The `user_info` the server signed for this user. */
  readonly info: Info
  /**
   * What the member published with `client.updateMyState` (`{}` until then): live, not
   * signed, attributed by the websocket server to this member's connection.
   */
  readonly state: State
}

/**
 * An immutable view of one channel: its status and, for presence channels,
 * its members. A new object is created on every change; unchanged reads
 * return the same object.
 *
 * @typeParam Info - the shape of `user_info`.
 * @typeParam State - the shape of the members' live state.
 */
export interface MemberSnapshot<Info = unknown, State = AnyState> {
  /** Where the subscription stands. */
  readonly status: ChannelStatus
  /** Members keyed by user id, deduplicated (two tabs of one user = one member). */
  readonly members: ReadonlyMap<string, Member<Info, State>>
  /** The current user, once `subscription_succeeded` arrived; `null` otherwise. */
  readonly me: Member<Info, State> | null
  /** `members.size`. */
  readonly count: number
  /**
   * Why the channel is not subscribed (status `unauthenticated`, `forbidden` or `error`), or,
   * on a subscribed channel, `CLIENT_EVENTS_DISABLED` once the websocket server refused this
   * client's state or whisper events; `null` otherwise.
   */
  readonly error: ChannelError | null
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
 * Where the connection's sign-in stands (`client.signIn`).
 *
 * - `off`: no user set, or the endpoints have no user-auth (see `auth.userAuthEndpoint`).
 * - `signing-in`: waiting for the connection or the app server's answer.
 * - `signed-in`: the websocket server accepted the sign-in on this connection.
 * - `refused`: the app server refused to sign in (see `error`: `UNAUTHENTICATED`, ...).
 * - `revoked`: the app server ended this user's connections (`presence.revokeUser`): show
 *   "signed out elsewhere". The client connects again; its channels and sign-in are then
 *   decided by the app server's normal rules. Stays until a sign-in succeeds or the user
 *   changes; `error.code` is `REVOKED` (status 4009, the Pusher protocol code).
 */
export interface SignInSnapshot {
  /** The phase. */
  readonly status: 'off' | 'signing-in' | 'signed-in' | 'refused' | 'revoked'
  /** Why the sign-in is `refused` or `revoked`; `null` otherwise. */
  readonly error: ChannelError | null
}

/**
 * The part this tab plays in sharing one connection (`client.tabs`).
 *
 * - `own`: the tab holds its own connection (`tabs: 'own'`, or the browser lacks Web Locks or
 *   `BroadcastChannel`, or the client runs outside a page: Node, workers, service workers).
 * - `leader`: the tab holds the connection shared by the tabs of its origin.
 * - `follower`: another tab holds it; this one subscribes, reads members and receives events
 *   through it.
 */
export interface TabsSnapshot {
  /** The tab's part. */
  readonly role: 'own' | 'leader' | 'follower'
}
