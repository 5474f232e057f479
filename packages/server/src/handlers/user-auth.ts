import { isPresenceError, PresenceError } from '../errors.js'
import { interpretUserData } from '../pipeline/interpret.js'
import { sessionStep } from '../pipeline/trace.js'
import { type HttpAnswer, ok } from './answer.js'
import {
  type CoreEnv,
  type Endpoint,
  endpoint,
  type RequestStart,
  readSocketFields,
  resolveSession,
} from './endpoint.js'

/**
 * The endpoint: its methods and {@link answerUserAuth}.
 * @param env - the server's parts.
 * @returns the endpoint.
 * @internal
 */
export function userAuthEndpoint(env: CoreEnv): Endpoint {
  return endpoint(env, { methods: ['POST'], answer: answerUserAuth })
}

/**
 * Answers a pusher-js `signin()` user authentication (`POST socket_id`).
 * No session → 401 `UNAUTHENTICATED`. The `userData` option's result is read
 * strictly: a plain object with a non-empty string `id`, or 500
 * `INVALID_AUTHORIZER_RESULT`.
 */
async function answerUserAuth(env: CoreEnv, { request, trace }: RequestStart): Promise<HttpAnswer> {
  const { socketId } = await readSocketFields(env, request)
  if (trace.steps) trace({ check: 'shape', outcome: 'pass' })
  const session = await resolveSession(env, request)
  if (trace.steps) trace(sessionStep(session))
  if (session === null) {
    throw new PresenceError('UNAUTHENTICATED', 'no session: sign in before pusher.signin()')
  }
  let result: unknown
  try {
    result = env.userData ? await env.userData(session, request) : { id: session.userId }
  } catch (cause) {
    if (isPresenceError(cause)) throw cause
    throw new PresenceError('INTERNAL', 'the userData option threw', { cause })
  }
  const userData = interpretUserData(result)
  if (isPresenceError(userData)) throw userData
  const signed = await env.signer.signUser(socketId, userData)
  if (trace.steps) trace({ check: 'sign', outcome: 'pass' })
  return ok(signed)
}
