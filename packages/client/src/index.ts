/**
 * `@presence/client`: a batching channel authorizer, reference-counted
 * subscriptions, presence member stores and retained events on top of pusher-js.
 * Framework-agnostic: it imports no UI framework.
 *
 * @module
 */
export { PresenceClientError } from './errors.js'
export type {
  AuthOptions,
  ChannelError,
  ChannelStatus,
  ConnectionState,
  EventHandler,
  HeadersOption,
  Member,
  MemberSnapshot,
  PresenceClient,
  PresenceClientErrorCode,
  PresenceClientOptions,
  PresenceUser,
  PusherLike,
  PusherOptionsWithKey,
  Store,
  SubscriptionHandle,
} from './types.js'
