/**
 * The client's errors: the codes it raises, the `ChannelError` a store reports, the
 * `PresenceClientError` class and the invalid-event error given to `onInvalidEvent`.
 *
 * @module
 */
import type { StandardSchemaV1 } from '@standard-schema/spec'

/**
 * Why a channel is not subscribed, as reported by the auth endpoint's JSON
 * body (`{ error: { code, message? } }`) or by the client itself.
 *
 * An app can switch to polling when it sees one (a Chrome extension's session channels).
 */
export interface ChannelError {
  /**
   * Server codes (`UNAUTHENTICATED`, `CHANNEL_FORBIDDEN`, `TIMEOUT`, app codes
   * such as `SESSION_NOT_FOUND`) are passed through; the client adds its own
   * {@link PresenceClientErrorCode}s.
   */
  code: string
  /**
   * The HTTP status of the refusal (401, 403, 5xx...); `0` when no HTTP answer
   * was received; the Pusher protocol code (e.g. 4100) for a refusal by the
   * websocket server.
   */
  status: number
  /**
   * What happened: the server's `message` when it sent one (development
   * mode), otherwise the client's own description.
   */
  message?: string
}

/**
 * Codes of the errors raised by the client itself.
 *
 * - `INVALID_OPTIONS`: `createPresenceClient` was called with unusable options.
 * - `INVALID_AUTH_RESPONSE`: a 2xx answer lacked a field (`auth`, `channel_data`
 *   for presence, `shared_secret` for `private-encrypted-`) or was not JSON.
 * - `NETWORK_ERROR`: `fetch` rejected (offline, CORS, DNS).
 * - `HTTP_ERROR`: a non-2xx answer without a JSON `{ error: { code } }` body.
 * - `MEMBER_LIMIT`: the presence channel is full (Pusher protocol 4100).
 * - `SUBSCRIPTION_ERROR`: the websocket server refused the subscription for another reason.
 * - `INVALID_EVENT`: an incoming event failed its schema (see `schemas`); given to `onInvalidEvent`.
 * - `FOLLOWER_TAB`: `client.pusher` was read in a tab that follows another tab's shared
 *   connection (`tabs: 'shared'`): the pusher-js instance lives in the leading tab.
 * - `CLIENT_EVENTS_DISABLED`: the websocket server refused a client event (Pusher error 4301:
 *   the app does not allow client events), so `updateMyState` and `whisper` reach no one; shown
 *   once in the channel's `error`, and the client stops sending them.
 */
export type PresenceClientErrorCode =
  | 'INVALID_OPTIONS'
  | 'INVALID_AUTH_RESPONSE'
  | 'NETWORK_ERROR'
  | 'HTTP_ERROR'
  | 'MEMBER_LIMIT'
  | 'SUBSCRIPTION_ERROR'
  | 'INVALID_EVENT'
  | 'FOLLOWER_TAB'
  | 'CLIENT_EVENTS_DISABLED'

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
  /** For `HTTP_ERROR` and `NETWORK_ERROR`: the endpoint that was called. */
  declare readonly url: string | undefined

  /**
   * @param code - the error code.
   * @param message - what happened and what to do.
   * @param extra - status, channel, missing field, endpoint and cause.
   */
  constructor(
    code: PresenceClientErrorCode | (string & {}),
    message: string,
    extra: {
      status?: number
      channel?: string
      field?: string
      url?: string
      cause?: unknown
    } = {},
  ) {
    // `Error` installs `cause` only when the options have one, as `extra` is read here;
    // copying it again below keeps it non-enumerable (an existing property is only written).
    super(message, extra)
    Object.assign(this, { name: 'PresenceClientError', code, status: 0 }, extra)
  }
}

/**
 * An incoming event whose payload failed its schema (code `INVALID_EVENT`). Given to
 * `onInvalidEvent`; its handlers were not called.
 */
export class InvalidEventError extends PresenceClientError {
  /** The event name. */
  declare readonly event: string
  /** The payload as received. */
  declare readonly data: unknown
  /** The schema's issues (`message`, `path`). */
  declare readonly issues: ReadonlyArray<StandardSchemaV1.Issue>

  /**
   * @param channel - the channel name.
   * @param event - the event name.
   * @param data - the payload as received.
   * @param issues - the schema's issues.
   */
  constructor(
    channel: string,
    event: string,
    data: unknown,
    issues: ReadonlyArray<StandardSchemaV1.Issue>,
  ) {
    super(
      'INVALID_EVENT',
      `${channel} "${event}": ${issues.map((i) => i.message).join('; ') || 'invalid payload'}`,
      { channel },
    )
    Object.assign(this, { name: 'InvalidEventError', event, data, issues })
  }
}

/** The details of a {@link PresenceClientError} besides its code and message: its constructor's `extra`. @internal */
export type FailExtra = NonNullable<ConstructorParameters<typeof PresenceClientError>[2]>

// The literal `process.env.NODE_ENV` is what bundlers replace; declared here so the
// package type-checks in projects without Node's types (browser and extension builds).
declare const process: { env: { NODE_ENV?: string } }

/**
 * A client error whose prose exists in development builds only. Bundlers
 * replace `process.env.NODE_ENV`, so a production build keeps the code and
 * the missing field (`INVALID_AUTH_RESPONSE "channel_data"`) and drops
 * {@link prose}; Node and unbundled ESM (no `process`) still run.
 *
 * @param code - the error code (a server's code for a refusal without message).
 * @param extra - status, channel, missing field, cause, endpoint.
 * @param message - a message to keep as is (the server's), when there is one.
 * @returns the error.
 * @internal
 */
export const fail = (code: string, extra: FailExtra, message?: unknown): PresenceClientError =>
  new PresenceClientError(
    code,
    message != null
      ? String(message)
      : typeof process < 'u' && process.env.NODE_ENV !== 'production'
        ? prose(code, extra)
        : extra.field
          ? `${code} "${extra.field}"`
          : code,
    extra,
  )

/** The development message of {@link fail}: what happened and what to do. */
function prose(code: string, { status, channel, field, cause, url }: FailExtra): string {
  switch (code) {
    case 'HTTP_ERROR':
      return `${url} answered ${status} for ${channel}`
    case 'NETWORK_ERROR':
      return `${url} unreachable: ${cause}`
    case 'INVALID_AUTH_RESPONSE':
      return `auth response for ${channel} (${status}) lacks "${field}": return the signed payload`
    case 'MEMBER_LIMIT':
      return `${channel} is full`
    case 'CLIENT_EVENTS_DISABLED':
      return `the websocket server refused a client event on ${channel}: allow client events for the app (soketi: SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES=true; Pusher: App settings)`
    case 'INVALID_OPTIONS':
      return field === 'tabs'
        ? "tabs: 'shared' needs createPresenceClient from '@presence/client/tabs', where the sharing code lives"
        : `${field} must be a non-empty URL${field === 'auth.batchEndpoint' ? ' or false' : ''}`
  }
  return `${channel} refused: ${code}`
}
