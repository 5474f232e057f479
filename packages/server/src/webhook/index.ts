/**
 * Webhooks from the Pusher-protocol server: payload parsing, typed events, online tracker.
 * Re-exported by `@presence/server` (with `createWebhookHandler`).
 * @module
 */
export { type OnlineTracker, type OnlineTrackerOptions, onlineTracker } from './online-tracker.js'
export { parseWebhookPayload, type WebhookPayload } from './parse-payload.js'
export type {
  ChannelOccupiedEvent,
  ChannelVacatedEvent,
  ClientEventEvent,
  MemberAddedEvent,
  MemberRemovedEvent,
  WebhookContext,
  WebhookEvent,
  WebhookEventName,
  WebhookHandler,
  WebhookHandlers,
} from './types.js'
