import type { PresenceClientErrorCode } from './types.js'

/**
 * The error type of `@presence/client`: a code, the HTTP status when there
 * was an answer, and the channel it concerns.
 *
 * Also passed to pusher-js's authorization callback, so pusher-js's
 * `pusher:subscription_error` carries its message.
 *
 * @example
 * ```ts
 * if (error instanceof PresenceClientError && error.code === 'INVALID_AUTH_RESPONSE') {
 *   console.warn(`auth endpoint did not return ${error.field}`)
 * }
 * ```
 */
export class PresenceClientError extends Error {
  /** A client code, or the server's code passed through (`CHANNEL_FORBIDDEN`…). */
  declare readonly code: PresenceClientErrorCode | (string & {})
  /** The HTTP status (0 without an answer, a Pusher code for websocket refusals). */
  declare readonly status: number
  /** The channel concerned, if any. */
  declare readonly channel: string | undefined
  /** For `INVALID_AUTH_RESPONSE`: the missing field. */
  declare readonly field: string | undefined

  /**
   * @param code - the error code.
   * @param message - what happened and what to do.
   * @param extra - status, channel, missing field and cause.
   */
  constructor(
    code: PresenceClientErrorCode | (string & {}),
    message: string,
    extra: { status?: number; channel?: string; field?: string; cause?: unknown } = {},
  ) {
    super(message, 'cause' in extra ? { cause: extra.cause } : undefined)
    this.name = 'PresenceClientError'
    this.code = code
    this.status = extra.status ?? 0
    this.channel = extra.channel
    this.field = extra.field
  }
}
