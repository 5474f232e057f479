import { PresenceError } from '../errors.js'
import { authorizeChannel, channelTarget } from '../pipeline/authorize-channel.js'
import { type HttpAnswer, ok, refusal } from './answer.js'
import type { CoreEnv, Endpoint, RequestStart } from './endpoint.js'
import { endpoint, readSocketFields, requestState } from './endpoint.js'

/**
 * The endpoint: its methods and {@link answerAuth}.
 * @param env - the server's parts.
 * @returns the endpoint.
 * @internal
 */
export function authEndpoint(env: CoreEnv): Endpoint {
  return endpoint(env, { methods: ['POST'], answer: answerAuth })
}

/**
 * Answers a pusher-js channel authorization request (`POST` form or JSON
 * with `socket_id` and `channel_name`): the channel pipeline's verdict, as
 * the signed payload or a typed refusal. Steps: read the shape (socket id and
 * name, checked once), build the request's state, run the channel pipeline
 * (match, session, cache, authorize, sign), answer.
 */
async function answerAuth(env: CoreEnv, start: RequestStart): Promise<HttpAnswer> {
  const { fields, socketId } = await readSocketFields(env, start.request)
  const channel = fields.get('channel_name')
  if (typeof channel !== 'string' || channel === '') {
    throw new PresenceError('BAD_REQUEST', 'channel_name is missing')
  }
  if (start.trace.steps) start.trace({ check: 'shape', outcome: 'pass' })
  const state = requestState(env, start, { socketId, handler: 'auth' })
  const verdict = await authorizeChannel(state, channelTarget(env.registry, channel))
  return verdict.ok ? ok(verdict.grant) : refusal(verdict.error, env.debug, verdict.trace)
}
