import { isPresenceError, PresenceError } from '../errors.js'
import type { ChannelEnv } from '../pipeline/authorize-channel.js'
import { createTracer, type Tracer } from '../pipeline/trace.js'
import type { Session, SessionAdapter } from '../session/types.js'
import { type HttpAnswer, refusal } from './answer.js'
import { type Fields, parseBody, parsedFields } from './fields.js'
import type { CoreRequest } from './request.js'

/** Everything a handler reads from the server. @internal */
export interface CoreEnv extends ChannelEnv {
  readonly session: SessionAdapter
  readonly clientId: ((request: CoreRequest) => string | null | undefined) | undefined
  readonly maxChannels: number
  readonly maxBodyBytes: number
  readonly bodyTimeoutMs: number
  readonly concurrency: number
  readonly userData: ((session: Session, request: CoreRequest) => unknown) | undefined
}

/** What one request's handler body receives from the skeleton. @internal */
export interface HandlerCall {
  readonly env: CoreEnv
  readonly request: CoreRequest
  /** `timers.now()` when the request arrived. */
  readonly arrival: number
  readonly trace: Tracer
}

/**
 * The one skeleton of the auth, batch and user-auth handlers: the method
 * check (405 with `Allow`), then the handler's body; anything it throws is
 * answered as a typed refusal (`INTERNAL` for an untyped throw).
 * @param methods - the methods served (besides `OPTIONS`, answered by CORS).
 * @param body - the handler's own work.
 * @returns the handler.
 * @internal
 */
export function handler(
  methods: readonly string[],
  body: (call: HandlerCall) => Promise<HttpAnswer>,
): (env: CoreEnv, request: CoreRequest) => Promise<HttpAnswer> {
  const allow = { Allow: [...methods, 'OPTIONS'].join(', ') }
  return async (env, request) => {
    const arrival = env.timers.now()
    const trace = createTracer(env.debug)
    if (!methods.includes(request.method)) {
      const error = new PresenceError(
        'METHOD_NOT_ALLOWED',
        `use ${methods.join(' or ')} (got ${request.method})`,
      )
      return refusal(error, env.debug, null, allow)
    }
    try {
      return await body({ env, request, arrival, trace })
    } catch (thrown) {
      const error = toPresenceError(thrown)
      const check =
        error.code === 'UNAVAILABLE' || error.code === 'UNAUTHENTICATED'
          ? 'session'
          : error.code === 'INVALID_AUTHORIZER_RESULT'
            ? 'authorizer'
            : 'shape'
      trace({ check, outcome: 'fail', detail: error.message })
      return refusal(error, env.debug, trace.steps)
    }
  }
}

/** Reads and parses the body (or takes the framework's parsed body). @internal */
export async function readFields(env: CoreEnv, request: CoreRequest): Promise<Fields> {
  if (request.parsedBody !== undefined) return parsedFields(request.parsedBody)
  const text = await request.readBody(env.maxBodyBytes, env.bodyTimeoutMs)
  return parseBody(request.headers.get('content-type'), text)
}

/**
 * Resolves the session once; a throwing adapter is `UNAVAILABLE` (503).
 * @internal
 */
export async function resolveSession(env: CoreEnv, request: CoreRequest): Promise<Session | null> {
  let session: Session | null
  try {
    session = await env.session(request)
  } catch (cause) {
    if (isPresenceError(cause) && cause.status < 500) throw cause
    throw new PresenceError('UNAVAILABLE', 'the session adapter failed; see cause', { cause })
  }
  if (session === null || session === undefined) return null
  if (typeof session !== 'object' || typeof session.userId !== 'string' || session.userId === '') {
    throw new PresenceError(
      'INTERNAL',
      'the session adapter returned a session without a non-empty string userId',
    )
  }
  return session
}

/** A memoized session lookup: resolved on first use, once per request. @internal */
export function lazySession(env: CoreEnv, request: CoreRequest): () => Promise<Session | null> {
  let lookup: Promise<Session | null> | undefined
  return () => {
    lookup ??= resolveSession(env, request)
    return lookup
  }
}

/** The client id of a request, when the option is set. @internal */
export function clientIdOf(env: CoreEnv, request: CoreRequest): string | null {
  if (!env.clientId) return null
  try {
    const id = env.clientId(request)
    return typeof id === 'string' && id !== '' ? id.slice(0, 200) : null
  } catch {
    return null
  }
}

/** Turns anything thrown by a request-level step into a PresenceError. @internal */
export function toPresenceError(thrown: unknown): PresenceError {
  return isPresenceError(thrown)
    ? thrown
    : new PresenceError('INTERNAL', 'unexpected failure', { cause: thrown })
}
