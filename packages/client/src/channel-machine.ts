/**
 * The life of one channel in the client, as an explicit state machine: named
 * states, named events, and for every pair that can occur the next state and
 * the effects to run. Pure data: `channel-effects.ts` runs the effects against
 * pusher-js and the member store.
 *
 * Words: a channel is *attached* while pusher-js holds a subscription for it (`attach`,
 * `detach`); "subscribe" is kept for the public `client.subscribe` (a reference) and
 * `store.subscribe` (a listener).
 *
 * ```
 * idle ──join──► authorizing ──succeeded──► subscribed ──connection-lost──► reconnecting
 *                  │     ▲                      ▲                                │
 *                failed  └── user-changed       └───────────succeeded────────────┘
 *                  ▼     ▲  (from subscribed,   reconnecting ──failed──► refused
 *               refused ─┘   reconnecting)
 *                   retry, user-changed, connection-lost ──► authorizing
 *
 * authorizing ──user-changed──► stale-user ──authorized (ask again),
 *                                            succeeded / failed (join again)──► authorizing
 * any state ──leave──► idle
 * ```
 *
 * @internal
 * @module
 */

/**
 * Where one channel stands in the machine. Not the public `ChannelStatus` a store reads:
 * the effects translate (`authorizing` and `stale-user` read `subscribing`).
 * @internal
 */
export type MachineState =
  /** Not attached: nobody holds the channel, or a presence channel waits for a user. */
  | 'idle'
  /** Attached in pusher-js, waiting for the authorizer and then the server's answer. */
  | 'authorizing'
  /** The server confirmed the subscription (`pusher:subscription_succeeded`). */
  | 'subscribed'
  /** Was subscribed when the connection dropped; pusher-js attaches it again on reconnect. */
  | 'reconnecting'
  /** The authorizer or the server refused; the store holds the error. */
  | 'refused'
  /** Authorizing for a user who has since signed out or switched: that answer will not be used. */
  | 'stale-user'

/** What can happen to a channel. @internal */
export type MachineEvent =
  /** The channel became wanted (a reference or its grace period, and a user for presence). */
  | 'join'
  /** The channel is no longer wanted (last reference released and grace over, user cleared, client destroyed). */
  | 'leave'
  /** A new reference was taken on a refused channel: try again. */
  | 'retry'
  /** `setUser` with a different user id. */
  | 'user-changed'
  /** The authorizer answered for this channel on the current socket (allowed or refused). */
  | 'authorized'
  /** pusher-js: `pusher:subscription_succeeded`. */
  | 'succeeded'
  /** pusher-js: `pusher:subscription_error` (the authorizer's refusal or the server's). */
  | 'failed'
  /** pusher-js left the `connected` state: it forgot the members and resubscribes on reconnect. */
  | 'connection-lost'

/** What a transition does, in order. @internal */
export type Effect =
  /** Attach: subscribe in pusher-js and listen to the channel; the store reads `subscribing`. */
  | 'attach'
  /** Detach: stop listening, unsubscribe in pusher-js; the store reads `idle`. */
  | 'detach'
  /** Detach and attach anew (a fresh authorization); the store reads `subscribing`. */
  | 'reattach'
  /** Attach a refused channel again (pusher-js authorizes it again); the store reads `subscribing`. */
  | 'attach-again'
  /** Keep the authorizer's answer (its retained events) for the `succeeded` that follows; hand it to pusher-js. */
  | 'accept-answer'
  /** Drop the authorizer's answer and authorize again, with fresh headers. */
  | 'ask-again'
  /** Fill the store from the server's member list; deliver the retained events. */
  | 'store-subscribed'
  /** Mark pusher-js's subscription as settled, so the next subscribe or unsubscribe is not swallowed. */
  | 'settle'
  /** Record the refusal in the store. */
  | 'store-refused'
  /** Empty the store, status `subscribing` (members come back with the next `succeeded`). */
  | 'store-subscribing'
  /** Keep the members, status `reconnecting` (a presence channel; others read `subscribing`). */
  | 'store-reconnecting'

/** The result of one event in one state. @internal */
export interface Transition {
  readonly to: MachineState
  readonly effects: readonly Effect[]
}

const go = (to: MachineState, ...effects: Effect[]): Transition => ({ to, effects })

/**
 * Every transition. A missing pair cannot occur (see the comments); `transition`
 * then keeps the state and does nothing.
 */
const TRANSITIONS: Record<MachineState, Partial<Record<MachineEvent, Transition>>> = {
  idle: {
    join: go('authorizing', 'attach'),
    // Left while authorizing: the answer goes to pusher-js, which cancels the subscription itself.
    authorized: go('idle'),
    'user-changed': go('idle'),
    'connection-lost': go('idle'),
    // leave, retry, succeeded, failed: not attached, no listener.
  },
  authorizing: {
    leave: go('idle', 'detach'),
    'user-changed': go('stale-user'),
    authorized: go('authorizing', 'accept-answer'),
    succeeded: go('subscribed', 'store-subscribed'),
    failed: go('refused', 'settle', 'store-refused'),
    'connection-lost': go('authorizing', 'store-subscribing'),
    // join: already joined; retry: only for refused channels.
  },
  subscribed: {
    leave: go('idle', 'detach'),
    'user-changed': go('authorizing', 'reattach'),
    'connection-lost': go('reconnecting', 'store-reconnecting'),
    // authorized, succeeded, failed: a new subscription starts with connection-lost first.
  },
  reconnecting: {
    leave: go('idle', 'detach'),
    'user-changed': go('authorizing', 'reattach'),
    authorized: go('reconnecting', 'accept-answer'),
    // The members are reconciled: only real joins and leaves reach listeners.
    succeeded: go('subscribed', 'store-subscribed'),
    failed: go('refused', 'settle', 'store-refused'),
    'connection-lost': go('reconnecting'),
    // join: already joined; retry: only for refused channels.
  },
  refused: {
    leave: go('idle', 'detach'),
    retry: go('authorizing', 'attach-again'),
    'user-changed': go('authorizing', 'reattach'),
    // pusher-js resubscribes every channel of its table on reconnect, refused ones included.
    'connection-lost': go('authorizing', 'store-subscribing'),
  },
  'stale-user': {
    leave: go('idle', 'detach'),
    'user-changed': go('stale-user'),
    authorized: go('authorizing', 'ask-again'),
    // The answer reached pusher-js before the switch: redo the join as the current user.
    succeeded: go('authorizing', 'reattach'),
    failed: go('authorizing', 'settle', 'reattach'),
    // pusher-js authorizes again on reconnect, with the current user's headers.
    'connection-lost': go('authorizing', 'store-subscribing'),
  },
}

/**
 * The next state and effects of `event` in `state`.
 *
 * @param state - the current state.
 * @param event - what happened.
 * @returns the transition, or `undefined` when the pair cannot occur (nothing to do).
 * @internal
 */
export function transition(state: MachineState, event: MachineEvent): Transition | undefined {
  return TRANSITIONS[state][event]
}
