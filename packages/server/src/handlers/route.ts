import { PresenceError } from '../errors.js'
import type { HttpAnswer } from './answer.js'
import { refusal } from './answer.js'

/**
 * The path each handler answers under `presence.handler`, as a suffix of the mount path:
 * with the route mounted at `/api/pusher`, pusher-js's channel authorization is
 * `POST /api/pusher/auth`.
 */
export const HANDLER_PATHS = {
  /** pusher-js channel authorization: `POST …/auth`. */
  auth: '/auth',
  /** Batch authorization: `GET` or `POST …/batch`. */
  batch: '/batch',
  /** pusher-js `signin()` user authentication: `POST …/user-auth`. */
  userAuth: '/user-auth',
  /** Pusher-protocol webhooks: `POST …/webhook`. */
  webhook: '/webhook',
} as const

/** The name of an endpoint: `auth`, `batch`, `userAuth` or `webhook`. @internal */
export type EndpointName = keyof typeof HANDLER_PATHS

const suffixes = Object.entries(HANDLER_PATHS) as [EndpointName, string][]

/**
 * The endpoint of a request under `presence.handler`: the last segment of the request path
 * (a trailing `/` ignored). The endpoint then checks the method (405 `METHOD_NOT_ALLOWED`,
 * preflight for `OPTIONS`).
 *
 * @param url - the request URL, absolute or not.
 * @returns the endpoint's name, or `null` for any other path (404 `NOT_FOUND`).
 * @internal
 */
export function endpointOf(url: string): EndpointName | null {
  const path = pathOf(url).replace(/\/+$/, '')
  for (const [name, suffix] of suffixes) if (path.endsWith(suffix)) return name
  return null
}

/** The path of a request URL, absolute (`https://…/x`) or not (`/x?y`). */
function pathOf(url: string): string {
  try {
    return new URL(url, 'http://localhost').pathname
  } catch {
    return ''
  }
}

/**
 * The 404 of a path `presence.handler` does not serve.
 *
 * @param debug - whether to add the message.
 * @returns the refusal.
 * @internal
 */
export function notFoundAnswer(debug: boolean): HttpAnswer {
  const error = new PresenceError(
    'NOT_FOUND',
    `presence.handler serves ${suffixes.map(([, s]) => `…${s}`).join(', ')}`,
  )
  return refusal(error, debug, null)
}
