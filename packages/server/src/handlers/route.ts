import { PresenceError } from '../errors.js'
import type { HttpAnswer } from './answer.js'
import { refusal } from './answer.js'
import type { CoreRequest } from './request.js'

/** A handler as the HTTP layer calls it: a request in, plain values out (no Fetch objects). */
type AnswerHandler = (request: CoreRequest) => Promise<HttpAnswer>

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

/** The handlers `presence.handler` dispatches to. @internal */
export type RouteTargets = { readonly [K in keyof typeof HANDLER_PATHS]: AnswerHandler }

const suffixes = Object.entries(HANDLER_PATHS) as [keyof typeof HANDLER_PATHS, string][]

/**
 * One handler for every path: dispatches on the last segment of the request path (a trailing
 * `/` ignored); the handler then checks the method (405 `METHOD_NOT_ALLOWED`, preflight for
 * `OPTIONS`). Any other path answers 404 `NOT_FOUND`.
 *
 * @param targets - the core handlers, by name.
 * @param notFound - the answer for any other path (with the server's headers).
 * @returns the dispatching core handler.
 * @internal
 */
export function route(targets: RouteTargets, notFound: AnswerHandler): AnswerHandler {
  return (request) => {
    const path = pathOf(request.url).replace(/\/+$/, '')
    for (const [name, suffix] of suffixes) if (path.endsWith(suffix)) return targets[name](request)
    return notFound(request)
  }
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
