/**
 * The error codes the server answers with, and their HTTP status.
 * Apps may add their own UPPER_SNAKE codes through {@link deny} (answered 403).
 */
export const ERROR_STATUS = {
  /** Missing or invalid socket id, channel name or body field. */
  BAD_REQUEST: 400,
  /** A body with a content type other than form or JSON. */
  UNSUPPORTED_MEDIA_TYPE: 400,
  /** No session, and the channel (or the registry) needs one. */
  UNAUTHENTICATED: 401,
  /** No definition matches the channel (fail closed). */
  CHANNEL_UNKNOWN: 403,
  /** The authorizer refused the channel (returned `false`). */
  CHANNEL_FORBIDDEN: 403,
  /** A generic refusal. */
  FORBIDDEN: 403,
  /** The authorizer did not answer within its time limit. */
  TIMEOUT: 403,
  /** The request body was not received within `limits.bodyTimeoutMs` (Node and Express adapters). */
  REQUEST_TIMEOUT: 408,
  /** The request method is not served by this handler. */
  METHOD_NOT_ALLOWED: 405,
  /** A path `presence.handler` does not serve (not `…/auth`, `…/batch`, `…/user-auth`, `…/webhook`). */
  NOT_FOUND: 404,
  /** More channels in one batch than the configured cap. */
  TOO_MANY_CHANNELS: 413,
  /** A body larger than the configured limit. */
  PAYLOAD_TOO_LARGE: 413,
  /** The session backend failed. */
  UNAVAILABLE: 503,
  /** An authorizer (or a retained-event provider, or `userData`) threw. */
  INTERNAL: 500,
  /** An authorizer (or `userData`) returned a value outside the documented shapes; nothing was signed. */
  INVALID_AUTHORIZER_RESULT: 500,
  /**
   * The user data broke a limit: presence `user_id` length or `channel_data` size (2 KB by
   * default), or the sign-in `user_data` size (8 KB by default, `maxUserDataBytes`).
   */
  USER_DATA_INVALID: 500,
  /** A configuration mistake found when the server or signer is created. */
  CONFIG_INVALID: 500,
  /** A webhook whose `X-Pusher-Key` / `X-Pusher-Signature` do not match the app and the raw body. */
  WEBHOOK_SIGNATURE_INVALID: 401,
  /**
   * A validly signed webhook whose `time_ms` is further from now than the
   * accepted window (a captured delivery replayed later).
   */
  WEBHOOK_EXPIRED: 401,
  /**
   * `revokeUser` could not do everything: the websocket server's REST API or the cache
   * failed. What could be done was done (the cache part even when the REST call fails); call
   * it again (it is idempotent).
   */
  REVOKE_FAILED: 502,
  /** A webhook body a framework parsed before the handler (e.g. `express.json()`): unverifiable. */
  WEBHOOK_BODY_PARSED: 500,
} as const

/** A code the library itself uses. */
export type KnownErrorCode = keyof typeof ERROR_STATUS

/** Any error code: one of {@link KnownErrorCode} or an app's own UPPER_SNAKE code. */
export type ErrorCode = KnownErrorCode | (string & {})

const CODE_PATTERN = /^[A-Z][A-Z0-9_]*$/

/** Options for {@link PresenceError}. */
export interface PresenceErrorOptions {
  /** HTTP status. @default the code's status in {@link ERROR_STATUS}, else 403 */
  status?: number
  /** The underlying error. @default undefined */
  cause?: unknown
}

/**
 * The one error type of `@presence/server`: a `code` (UPPER_SNAKE), an HTTP
 * `status`, a human message (only sent to clients in debug mode) and a `cause`.
 *
 * @example
 * ```ts
 * throw new PresenceError('BAD_REQUEST', 'socket_id is missing')
 * ```
 */
export class PresenceError extends Error {
  override readonly name = 'PresenceError'
  /** UPPER_SNAKE code, sent to clients. */
  readonly code: ErrorCode
  /** HTTP status answered for this error. */
  readonly status: number

  /**
   * @param code - UPPER_SNAKE code, e.g. `'CHANNEL_FORBIDDEN'`.
   * @param message - what happened and, when possible, how to fix it.
   * @param options - status override and cause.
   */
  constructor(code: ErrorCode, message?: string, options: PresenceErrorOptions = {}) {
    super(message ?? code, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.status = options.status ?? statusOf(code)
  }
}

/**
 * The HTTP status of a code: the library's table, 403 for app codes.
 * @param code - an error code.
 * @returns the HTTP status.
 */
export function statusOf(code: ErrorCode): number {
  return Object.hasOwn(ERROR_STATUS, code) ? ERROR_STATUS[code as KnownErrorCode] : 403
}

/**
 * Whether `code` is a valid UPPER_SNAKE error code.
 * @param code - the candidate.
 * @returns `true` for `'USER_MISMATCH'`, `false` for `'user-mismatch'`.
 */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && code.length <= 64 && CODE_PATTERN.test(code)
}

/**
 * A refusal an authorizer returns (or throws) to deny a channel with a code
 * the client sees, e.g. `SESSION_NOT_FOUND` or `USER_MISMATCH`.
 * The status is 403 unless the code is one of the library's (e.g.
 * `deny('UNAUTHENTICATED')` answers 401).
 *
 * @param code - UPPER_SNAKE code sent to the client.
 * @param message - detail shown only in debug mode.
 * @returns a {@link PresenceError} to return or throw from `authorize`.
 * @example
 * ```ts
 * authorize: async ({ user, params }) => {
 *   const doc = await db.session.find(params.sessionId)
 *   if (!doc) return deny('SESSION_NOT_FOUND', `no session ${params.sessionId} for this tenant`)
 *   return doc.userId === user.userId || deny('USER_MISMATCH')
 * }
 * ```
 */
export function deny(code: ErrorCode, message?: string): PresenceError {
  if (!isErrorCode(code)) {
    throw new PresenceError(
      'CONFIG_INVALID',
      `deny(${JSON.stringify(code)}): codes are UPPER_SNAKE strings of at most 64 characters, e.g. 'USER_MISMATCH'`,
    )
  }
  return new PresenceError(code, message)
}

/**
 * Whether `value` is a {@link PresenceError} (also across bundle copies).
 * @param value - anything.
 * @returns `true` for a PresenceError.
 */
export function isPresenceError(value: unknown): value is PresenceError {
  return (
    value instanceof PresenceError ||
    (value instanceof Error &&
      value.name === 'PresenceError' &&
      typeof (value as { code?: unknown }).code === 'string' &&
      typeof (value as { status?: unknown }).status === 'number')
  )
}

/**
 * The default of the `debug` options: `process.env.NODE_ENV === 'development'`. Read
 * defensively: runtimes without `process` (Cloudflare Workers) and runtimes that guard the
 * environment (Deno without `--allow-env`, which throws `NotCapable` on the read) get `false`,
 * the production answer, instead of an error.
 * @internal
 */
export function defaultDebug(): boolean {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
      ?.env
    return env?.NODE_ENV === 'development'
  } catch {
    return false
  }
}
