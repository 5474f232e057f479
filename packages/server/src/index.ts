/**
 * `@presence/server`: channel authorization for Pusher-protocol servers
 * (Pusher Channels, Sockudo, soketi) — channel registry, batch auth, signer.
 * Framework adapters live in `@presence/server/express` and `@presence/server/node`.
 * @module
 */

export type { Awaitable } from './awaitable.js'
export type { CacheAdapter } from './cache/types.js'
export {
  type DefinedChannel,
  defineChannel,
  defineChannels,
  type Register,
  type RegisteredSession,
} from './channel/define.js'
export type {
  AuthorizeContext,
  AuthorizeContextFor,
  AuthorizeResultFor,
  Authorizer,
  BareAuthorizer,
  CacheOption,
  CacheScope,
  ChannelDefinition,
  ChannelDefinitions,
  OptionalUserDefinition,
  PresenceAuthorizeResult,
  PresenceMember,
  PresenceMemberResult,
  PrivateAllow,
  PrivateAuthorizeResult,
  RequiredUserDefinition,
  RetainedEvent,
  RetainedEventProvider,
  SharedAuthorizeContext,
} from './channel/definition.js'
export {
  type ChannelType,
  MAX_CHANNEL_NAME_LENGTH,
  type ParsedChannel,
  parseChannel,
} from './channel/name.js'
export type { PatternParamNames, PatternParams } from './channel/pattern.js'
export { DEFAULT_TIMEOUT_MS, HIGH_PRIORITY_TIMEOUT_MS } from './channel/registry.js'
export {
  deny,
  ERROR_STATUS,
  type ErrorCode,
  isPresenceError,
  type KnownErrorCode,
  PresenceError,
  type PresenceErrorOptions,
} from './errors.js'
export type { ErrorBody } from './handlers/answer.js'
export { HANDLER_PATHS } from './handlers/route.js'
export { createWebhookHandler, type WebhookHandlerOptions } from './http/webhook-handler.js'
export type {
  CorsOptions,
  LimitOptions,
  PresenceServerOptions,
  ServerRetainedEventProvider,
} from './options.js'
export type { DecisionEvent } from './pipeline/decision-event.js'
export { grantCacheKey } from './pipeline/grant-cache.js'
export type { TraceCheck, TraceStep } from './pipeline/trace.js'
export type { RestClient, RevokeResult } from './revocation.js'
export {
  createPresenceServer,
  type FetchHandler,
  type PresenceHandler,
  type PresenceHandlers,
  type PresenceServer,
} from './server.js'
export type {
  PresenceRequest,
  Session,
  SessionAdapter,
  TypedSessionAdapter,
} from './session/types.js'
export { type PusherLike, signerFromPusher } from './signer/from-pusher.js'
export type { HmacEngine, HmacEngineFactory } from './signer/hmac.js'
export {
  DEFAULT_MAX_CHANNEL_DATA_BYTES,
  MAX_USER_ID_LENGTH,
  type PresenceUserData,
} from './signer/limits.js'
export {
  type ChannelAuth,
  createSigner,
  type HeadersLike,
  type Signer,
  type SignerOptions,
  type UserAuth,
  type UserData,
} from './signer/signer.js'
export type { Timers } from './timers.js'
export {
  type ChannelOccupiedEvent,
  type ChannelVacatedEvent,
  type ClientEventEvent,
  type MemberAddedEvent,
  type MemberRemovedEvent,
  type OnlineTracker,
  type OnlineTrackerOptions,
  onlineTracker,
  parseWebhookPayload,
  type WebhookContext,
  type WebhookEvent,
  type WebhookEventName,
  type WebhookHandler,
  type WebhookHandlers,
  type WebhookPayload,
} from './webhook/index.js'
