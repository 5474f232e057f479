import type { CacheAdapter } from '../cache/types.js'
import type { PresenceMember } from '../channel/definition.js'
import type { ParsedChannel } from '../channel/name.js'
import type { OnlineTracker } from './online-tracker.js'

/** A channel got its first subscriber. */
export interface ChannelOccupiedEvent {
  name: 'channel_occupied'
  channel: string
}

/** A channel lost its last subscriber. */
export interface ChannelVacatedEvent {
  name: 'channel_vacated'
  channel: string
}

/** A user joined a presence channel (their first connection to it). */
export interface MemberAddedEvent {
  name: 'member_added'
  channel: string
  user_id: string
}

/** A user left a presence channel (their last connection to it closed). */
export interface MemberRemovedEvent {
  name: 'member_removed'
  channel: string
  user_id: string
}

/** A client sent a `client-` event on a private or presence channel. */
export interface ClientEventEvent {
  name: 'client_event'
  channel: string
  /** The event name, e.g. `client-typing`. */
  event: string
  /** The event's data, as the client sent it (a JSON string for pusher-js). */
  data: string
  /** The sender's socket id. */
  socket_id?: string
  /** The sender's user id (presence channels). */
  user_id?: string
}

/** Any webhook event the handler dispatches. */
export type WebhookEvent =
  | ChannelOccupiedEvent
  | ChannelVacatedEvent
  | MemberAddedEvent
  | MemberRemovedEvent
  | ClientEventEvent

/** The name of a webhook event: `'member_added'`, ... */
export type WebhookEventName = WebhookEvent['name']

/** What a webhook handler gets besides the event. */
export interface WebhookContext {
  /** The server's cache adapter (seed 001: cached user info used in the callback), if any. */
  cache: CacheAdapter | undefined
  /** The event's channel, parsed; `null` when the name is not a valid channel name. */
  channel: ParsedChannel | null
  /** When the Pusher-protocol server sent the batch (`time_ms`). */
  timeMs: number
  /** The online tracker, when one is configured (already updated for this event). */
  online: OnlineTracker | undefined
  /**
   * The presence member data the auth pipeline cached for this channel and
   * `user_id` (definitions with `cache: { ttlMs }`), or `null`. Cache errors read as `null`.
   */
  cachedMember(): Promise<PresenceMember | null>
}

/** A handler for one event type; may be async. */
export type WebhookHandler<E extends WebhookEvent> = (
  event: E,
  context: WebhookContext,
) => void | Promise<void>

/**
 * The `webhooks` option: one typed handler per event name, plus an optional
 * {@link OnlineTracker} fed from `member_added` / `member_removed`.
 */
export interface WebhookHandlers {
  channel_occupied?: WebhookHandler<ChannelOccupiedEvent>
  channel_vacated?: WebhookHandler<ChannelVacatedEvent>
  member_added?: WebhookHandler<MemberAddedEvent>
  member_removed?: WebhookHandler<MemberRemovedEvent>
  client_event?: WebhookHandler<ClientEventEvent>
  /** Keeps "user is online" in a shared cache from member webhooks. */
  online?: OnlineTracker
  /**
   * Called when a handler throws (the answer is then 500, so the sender
   * retries the batch: handlers should be idempotent).
   * @default none (the error is only visible through the 500)
   */
  onError?: (error: unknown, event: WebhookEvent) => void
}
