import { authorizeChannel } from './authorize-channel.js'
import {
  type CoreEnv,
  clientIdOf,
  type HttpDecision,
  ok,
  readFields,
  refusal,
  resolveSession,
  toPresenceError,
} from './decision.js'
import { PresenceError } from './errors.js'
import type { CoreRequest } from './request.js'
import type { Session } from './session/types.js'
import { socketIdProblem } from './signer/limits.js'
import { createTracer } from './trace.js'

const ALLOW_POST = { Allow: 'POST, OPTIONS' }

/**
 * Decides a pusher-js channel authorization request (`POST` form or JSON
 * with `socket_id` and `channel_name`).
 * @param env - the server's parts.
 * @param request - the request.
 * @returns the answer as plain values.
 * @internal
 */
export async function decideAuth(env: CoreEnv, request: CoreRequest): Promise<HttpDecision> {
  const trace = createTracer(env.debug)
  if (request.method !== 'POST') {
    return refusal(
      new PresenceError('METHOD_NOT_ALLOWED', `use POST (got ${request.method})`),
      env.debug,
      null,
      ALLOW_POST,
    )
  }
  try {
    const fields = await readFields(env, request)
    const socketId = fields.get('socket_id')
    const channel = fields.get('channel_name')
    const problem =
      socketIdProblem(socketId) ??
      (typeof channel === 'string' && channel !== '' ? null : 'channel_name is missing')
    if (problem !== null) throw new PresenceError('BAD_REQUEST', problem)
    if (trace.steps) trace({ check: 'shape', outcome: 'pass' })
    let sessionLookup: Promise<Session | null> | undefined
    const session = () => {
      sessionLookup ??= resolveSession(env, request)
      return sessionLookup
    }
    const decision = await authorizeChannel(
      env,
      {
        socketId: socketId as string,
        session,
        request,
        clientId: clientIdOf(env, request),
        handler: 'auth',
        trace: trace.steps,
      },
      channel as string,
    )
    if (decision.ok) return ok(decision.grant)
    return refusal(decision.error, env.debug, decision.trace)
  } catch (thrown) {
    const error = toPresenceError(thrown)
    trace({
      check: error.code === 'UNAVAILABLE' ? 'session' : 'shape',
      outcome: 'fail',
      detail: error.message,
    })
    return refusal(error, env.debug, trace.steps)
  }
}
