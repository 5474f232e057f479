/**
 * Every pusher-js field the client touches that pusher-js does not document,
 * in one place, each with the reason. The client integration suite runs
 * against the oldest pusher-js of the peer range and the latest 8.x, so a
 * release that renames one of these fails CI rather than an app.
 *
 * Read as of pusher-js 8.3.0 and 8.6.0 (identical in both):
 * `src/core/pusher.ts`, `src/core/channels/channel.ts`,
 * `src/core/connection/connection_manager.ts`, `src/core/timeline/timeline.ts`.
 *
 * @internal
 * @module
 */
import type { Channel, ChannelAuthorizationHandler } from 'pusher-js'
import type { PusherLike } from './options.js'

/**
 * Installs the client's channel authorizer on an existing instance.
 *
 * Why: the app may hand over a pusher-js instance it built itself; the
 * `channelAuthorization.customHandler` constructor option is then out of
 * reach, and pusher-js reads `config.channelAuthorizer` at every subscribe.
 *
 * @param pusher - the instance.
 * @param authorizer - the handler every channel subscription will call.
 */
export function installChannelAuthorizer(
  pusher: PusherLike,
  authorizer: ChannelAuthorizationHandler,
): void {
  pusher.config.channelAuthorizer = authorizer
}

/**
 * Marks a channel's subscription as settled after the websocket server
 * refused it (`pusher:subscription_error` with a Pusher code such as 4100).
 *
 * Why: pusher-js clears `subscriptionPending` when the authorizer fails but
 * not when the websocket server refuses; a channel left pending swallows the
 * next `subscribe()` (it only "reinstates") and the next `unsubscribe()`
 * (it only "cancels").
 *
 * @param channel - the pusher-js channel.
 */
export function settleRefusedSubscription(channel: Channel): void {
  channel.subscriptionPending = false
}

/**
 * Forgets the channels that were left while their authorization was in
 * flight, before pusher-js resubscribes every channel of its table.
 *
 * Why: pusher-js keeps such a channel in its table, marked
 * `subscriptionCancelled`, and its resubscribe-all after a reconnect would
 * join it again on nobody's behalf (a ghost member in a presence channel).
 * Must run in `state_change` to `connected`, which pusher-js emits before
 * its resubscribe-all.
 *
 * @param pusher - the instance.
 */
export function forgetCancelledSubscriptions(pusher: PusherLike): void {
  for (const channel of pusher.allChannels()) {
    if (channel.subscriptionCancelled) pusher.channels.remove(channel.name)
  }
}

/** The private members of pusher-js's `ConnectionManager` used by {@link restartConnectionAttempt}. */
interface ConnectionAttempts {
  abortConnecting(): void
  startConnecting(): void
}

/**
 * Starts a new connection attempt now, after the previous one failed.
 *
 * Why: pusher-js's default strategy ignores a refused connection for the
 * rest of its attempt timer (15 s, then 30 s, up to 60 s) before it tries
 * again, so a restarted websocket server waits that long for its clients.
 * `abortConnecting()` drops the failed attempt (one attempt at a time,
 * never two sockets) and `startConnecting()` runs the strategy again. Unlike
 * `disconnect()` + `connect()`, neither changes pusher-js's connection state
 * nor its `unavailable` timer, so apps see the same states as without the
 * client. pusher-js does the same itself when the browser comes back online.
 *
 * @param pusher - the instance, `connecting` or `unavailable`.
 */
export function restartConnectionAttempt(pusher: PusherLike): void {
  const connection = pusher.connection as unknown as ConnectionAttempts
  connection.abortConnecting()
  connection.startConnecting()
}

/** The part of pusher-js's `Timeline` used by {@link onTransportClosed}. */
interface TimelineLog {
  log(level: number, event: unknown): void
}

/**
 * Calls `listener` every time one of pusher-js's transport sockets closes
 * (an attempt refused or dropped, or an open connection lost).
 *
 * Why: pusher-js reports a failed connection attempt to nobody: its strategy
 * swallows the error and waits for its attempt timer. Every transport logs
 * its state changes (`{ cid, state: 'closed' }`) to the instance's
 * `timeline`, whatever `disableStats` says; wrapping `timeline.log` is the
 * one place where a failed attempt can be seen. The recovery uses it so it
 * starts a new attempt only after one failed, never because one is slow.
 *
 * @param pusher - the instance.
 * @param listener - called synchronously, after pusher-js logged the event.
 * @returns a function that restores the timeline's own `log`.
 */
export function onTransportClosed(pusher: PusherLike, listener: () => void): () => void {
  const timeline = pusher.timeline as unknown as TimelineLog
  const ownLog = timeline.log
  timeline.log = function logAndWatch(this: TimelineLog, level, event) {
    ownLog.call(this, level, event)
    const entry = event as { cid?: unknown; state?: unknown } | null
    if (entry && entry.cid !== undefined && entry.state === 'closed') listener()
  }
  return () => {
    timeline.log = ownLog
  }
}
