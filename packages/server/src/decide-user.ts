import {
  type CoreEnv,
  type HttpDecision,
  ok,
  readFields,
  refusal,
  resolveSession,
  toPresenceError,
} from './decision.js'
import { PresenceError } from './errors.js'
import type { CoreRequest } from './request.js'
import { socketIdProblem } from './signer/limits.js'
import type { UserData } from './signer/signer.js'
import { createTracer, sessionStep } from './trace.js'

/**
 * Decides a pusher-js `signin()` user authentication (`POST socket_id`).
 * No session → 401 `UNAUTHENTICATED`.
 * @param env - the server's parts.
 * @param request - the request.
 * @returns `{ auth, user_data }` or a refusal, as plain values.
 * @internal
 */
export async function decideUserAuth(env: CoreEnv, request: CoreRequest): Promise<HttpDecision> {
  const trace = createTracer(env.debug)
  if (request.method !== 'POST') {
    return refusal(
      new PresenceError('METHOD_NOT_ALLOWED', `use POST (got ${request.method})`),
      env.debug,
      null,
      { Allow: 'POST, OPTIONS' },
    )
  }
  try {
    const fields = await readFields(env, request)
    const socketId = fields.get('socket_id')
    const problem = socketIdProblem(socketId)
    if (problem !== null) throw new PresenceError('BAD_REQUEST', problem)
    if (trace.steps) trace({ check: 'shape', outcome: 'pass' })
    const session = await resolveSession(env, request)
    if (trace.steps) trace(sessionStep(session))
    if (session === null) {
      throw new PresenceError('UNAUTHENTICATED', 'no session: sign in before pusher.signin()')
    }
    let userData: UserData
    try {
      userData = env.userData ? await env.userData(session, request) : { id: session.userId }
    } catch (cause) {
      throw new PresenceError('INTERNAL', 'the userData option threw', { cause })
    }
    const signed = await env.signer.signUser(socketId as string, userData)
    if (trace.steps) trace({ check: 'sign', outcome: 'pass' })
    return ok(signed)
  } catch (thrown) {
    const error = toPresenceError(thrown)
    trace({
      check: error.code === 'UNAVAILABLE' || error.code === 'UNAUTHENTICATED' ? 'session' : 'shape',
      outcome: 'fail',
      detail: error.message,
    })
    return refusal(error, env.debug, trace.steps)
  }
}
