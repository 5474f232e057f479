import { isPresenceError, PresenceError } from '../errors.js'
import type { ChannelEnv, RequestState } from '../pipeline/authorize-channel.js'
import { createTracer, type Tracer } from '../pipeline/trace.js'
import type { Session, SessionAdapter } from '../session/types.js'
import { socketIdProblem } from '../signer/limits.js'
import { type HttpAnswer, refusal } from './answer.js'
import { type Fields, formFields, parseBody, parsedFields } from './fields.js'
import type { CoreRequest } from './request.js'

/** Everything the auth, batch and user-auth endpoints read from the server. @internal */
export interface CoreEnv extends ChannelEnv {
  readonly session: SessionAdapter
  readonly clientId: ((request: CoreRequest) => string | null | undefined) | undefined
  readonly maxChannels: number
  readonly maxBodyBytes: number
  readonly bodyTimeoutMs: number
  readonly concurrency: number
  readonly userData: ((session: Session, request: CoreRequest) => unknown) | undefined
}

/** What every endpoint's environment has. @internal */
export interface HandlerEnv {
  readonly debug: boolean
  readonly timers: { now(): number }
}

/** A request as its endpoint starts on it. @internal */
export interface RequestStart {
  readonly request: CoreRequest
  /** `timers.now()` when the request arrived. */
  readonly arrival: number
  readonly trace: Tracer
}

/**
 * One endpoint (auth, batch, user auth, webhook): the methods it serves and its own steps.
 * @internal
 */
export interface Endpoint {
  readonly methods: readonly string[]
  /** The `Allow` header of a 405. */
  readonly allow: Readonly<Record<string, string>>
  readonly env: HandlerEnv
  /** The endpoint's steps, once the method is served; throws a `PresenceError` to refuse. */
  answer(start: RequestStart): Promise<HttpAnswer>
}

/**
 * Declares an endpoint over its environment.
 * @param env - the server's parts it reads.
 * @param spec - the methods (besides `OPTIONS`, answered by CORS); `browser: false` when
 *   browsers never call it (then `Allow` leaves `OPTIONS` out); its steps.
 * @returns the endpoint.
 * @internal
 */
export function endpoint<E extends HandlerEnv>(
  env: E,
  spec: {
    methods: readonly string[]
    browser?: boolean
    answer: (env: E, start: RequestStart) => Promise<HttpAnswer>
  },
): Endpoint {
  const allowed = spec.browser === false ? spec.methods : [...spec.methods, 'OPTIONS']
  return {
    methods: spec.methods,
    allow: { Allow: allowed.join(', ') },
    env,
    answer: (start) => spec.answer(env, start),
  }
}

/**
 * The frame of every endpoint: the method check (405 with `Allow`), then the endpoint's
 * steps; anything they throw is answered as a typed refusal (`INTERNAL` for an untyped throw).
 * @param target - the endpoint.
 * @param request - the request.
 * @returns the answer.
 * @internal
 */
export async function handle(target: Endpoint, request: CoreRequest): Promise<HttpAnswer> {
  const { env } = target
  if (!target.methods.includes(request.method)) {
    const why = `use ${target.methods.join(' or ')} (got ${request.method})`
    return refusal(new PresenceError('METHOD_NOT_ALLOWED', why), env.debug, null, target.allow)
  }
  const trace = createTracer(env.debug)
  try {
    return await target.answer({ request, arrival: env.timers.now(), trace })
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

/**
 * The one place a {@link RequestState} is built: once per request, after its shape
 * (socket id, channel names) is checked.
 * @param env - the server's parts.
 * @param start - the request, its arrival and trace.
 * @param shape - the checked socket id and the endpoint answering.
 * @returns the state every channel of the request shares.
 * @internal
 */
export function requestState(
  env: CoreEnv,
  start: RequestStart,
  shape: { socketId: string; handler: RequestState['handler'] },
): RequestState {
  return new ChannelRequest(env, start, shape)
}

/** A {@link RequestState} whose session is looked up on first use, once (no closure). */
class ChannelRequest implements RequestState {
  readonly handler: RequestState['handler']
  readonly request: CoreRequest
  readonly socketId: string
  readonly clientId: string | null
  readonly arrival: number
  readonly trace: RequestState['trace']
  private lookup: Promise<Session | null> | undefined = undefined
  constructor(
    readonly env: CoreEnv,
    start: RequestStart,
    shape: { socketId: string; handler: RequestState['handler'] },
  ) {
    this.handler = shape.handler
    this.request = start.request
    this.socketId = shape.socketId
    this.clientId = clientIdOf(env, start.request)
    this.arrival = start.arrival
    this.trace = start.trace.steps
  }
  session(): Promise<Session | null> {
    this.lookup ??= resolveSession(this.env, this.request)
    return this.lookup
  }
}

/**
 * The shape step's opening, shared by the auth, batch and user-auth endpoints: read the
 * request's fields ({@link readFields}), then check its `socket_id` (`BAD_REQUEST` when it
 * is missing or malformed). Each endpoint checks its own names after this.
 * @param env - the server's parts.
 * @param request - the request.
 * @returns the fields and the checked socket id.
 * @internal
 */
export async function readSocketFields(
  env: CoreEnv,
  request: CoreRequest,
): Promise<{ fields: Fields; socketId: string }> {
  const fields = await readFields(env, request)
  const socketId = fields.get('socket_id')
  const problem = socketIdProblem(socketId)
  if (problem !== null) throw new PresenceError('BAD_REQUEST', problem)
  return { fields, socketId: socketId as string }
}

/**
 * The fields of a request: a `GET`'s query string; otherwise the body, read and parsed (or
 * the framework's parsed body).
 */
async function readFields(env: CoreEnv, request: CoreRequest): Promise<Fields> {
  if (request.method === 'GET') {
    const query = request.url.indexOf('?')
    return formFields(new URLSearchParams(query < 0 ? '' : request.url.slice(query + 1)))
  }
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

/** The client id of a request, when the option is set. */
function clientIdOf(env: CoreEnv, request: CoreRequest): string | null {
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
