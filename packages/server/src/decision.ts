import type { ChannelEnv } from './authorize-channel.js'
import { type Fields, parseBody, parsedFields } from './body.js'
import { type ErrorCode, isPresenceError, PresenceError } from './errors.js'
import type { CoreRequest } from './request.js'
import type { Session, SessionAdapter } from './session/types.js'
import type { UserData } from './signer/signer.js'
import type { TraceStep } from './trace.js'

/** An HTTP answer as plain values; only the handler layer turns it into a `Response`. */
export interface HttpDecision {
  readonly status: number
  /** JSON text. */
  readonly body: string
  /** Extra headers for this answer (e.g. `Allow`). */
  readonly headers?: Readonly<Record<string, string>>
}

/** The JSON error body: `{ error: { code, message?, trace? } }`. */
export interface ErrorBody {
  error: { code: ErrorCode; status?: number; message?: string; trace?: TraceStep[] }
}

/** Everything a request-level decision reads from the server. @internal */
export interface CoreEnv extends ChannelEnv {
  readonly session: SessionAdapter
  readonly clientId: ((request: CoreRequest) => string | null | undefined) | undefined
  readonly maxChannels: number
  readonly maxBodyBytes: number
  readonly concurrency: number
  readonly userData:
    | ((session: Session, request: CoreRequest) => UserData | Promise<UserData>)
    | undefined
}

/**
 * The error body of a refusal: the code always; message and trace in debug mode only.
 * @internal
 */
export function errorBody(
  error: PresenceError,
  debug: boolean,
  trace: readonly TraceStep[] | null,
  withStatus: boolean,
): ErrorBody {
  const body: ErrorBody['error'] = { code: error.code }
  if (withStatus) body.status = error.status
  if (debug) {
    body.message = error.message
    if (trace) body.trace = [...trace]
  }
  return { error: body }
}

/** A request-level refusal. @internal */
export function refusal(
  error: PresenceError,
  debug: boolean,
  trace: readonly TraceStep[] | null,
  headers?: Record<string, string>,
): HttpDecision {
  const decision = {
    status: error.status,
    body: JSON.stringify(errorBody(error, debug, trace, false)),
  }
  return headers ? { ...decision, headers } : decision
}

/** A successful JSON answer. @internal */
export function ok(value: unknown): HttpDecision {
  return { status: 200, body: JSON.stringify(value) }
}

/** Reads and parses the body (or takes the framework's parsed body). @internal */
export async function readFields(env: CoreEnv, request: CoreRequest): Promise<Fields> {
  if (request.parsedBody !== undefined) return parsedFields(request.parsedBody)
  const text = await request.readBody(env.maxBodyBytes)
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
