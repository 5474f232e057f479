/**
 * Webhooks from the Pusher-protocol server: verification, typed handlers, online tracker.
 * Re-exported by `@presence/server`.
 * @module
 */
export { createWebhookHandler, type WebhookHandlerOptions } from './create-webhook-handler.js'
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
