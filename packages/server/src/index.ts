/**
 * `@presence/server`: channel authorization for Pusher-protocol servers.
 * @module
 */
export {
  type ChannelType,
  channelNameProblem,
  MAX_CHANNEL_NAME_LENGTH,
  type ParsedChannel,
  parseChannel,
} from './channel.js'
export {
  deny,
  ERROR_STATUS,
  type ErrorCode,
  isErrorCode,
  isPresenceError,
  type KnownErrorCode,
  PresenceError,
  type PresenceErrorOptions,
  statusOf,
} from './errors.js'
