import { PresenceError } from '../errors.js'
import type { PresenceRequest } from '../session/types.js'

/**
 * The request the core decides on: the Fetch `Request` surface a session
 * adapter reads, plus a body reader with a size limit. The Node and Express
 * adapters build this directly, so no Fetch object is made on their hot path.
 */
export interface CoreRequest extends PresenceRequest {
  /**
   * Reads the body as text, once.
   * @param maxBytes - the limit; larger bodies reject with `PAYLOAD_TOO_LARGE`.
   * @param timeoutMs - the time allowed to receive it (Node and Express
   *   adapters); slower bodies reject with `REQUEST_TIMEOUT`.
   */
  readBody(maxBytes: number, timeoutMs?: number): Promise<string>
  /** A body already parsed by a framework (Express `req.body` object), if any. */
  readonly parsedBody?: Record<string, unknown>
}

/** The default of `limits.bodyTimeoutMs`: how long a request body may take to arrive. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000

/**
 * The error for a body over the limit.
 * @param maxBytes - the limit.
 * @returns `PAYLOAD_TOO_LARGE`.
 * @internal
 */
export function payloadTooLarge(maxBytes: number): PresenceError {
  return new PresenceError(
    'PAYLOAD_TOO_LARGE',
    `the body is larger than ${maxBytes} bytes (limits.maxBodyBytes)`,
  )
}

/**
 * The error for a body not received in time.
 * @param timeoutMs - the limit.
 * @returns `REQUEST_TIMEOUT`.
 * @internal
 */
export function requestTimeout(timeoutMs: number): PresenceError {
  return new PresenceError(
    'REQUEST_TIMEOUT',
    `the body was not received within ${timeoutMs} ms (limits.bodyTimeoutMs)`,
  )
}
