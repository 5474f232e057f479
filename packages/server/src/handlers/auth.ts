import { PresenceError } from '../errors.js'
import { authorizeChannel, channelTarget } from '../pipeline/authorize-channel.js'
import { socketIdProblem } from '../signer/limits.js'
import { ok, refusal } from './answer.js'
import { clientIdOf, handler, lazySession, readFields } from './skeleton.js'

/**
 * Answers a pusher-js channel authorization request (`POST` form or JSON
 * with `socket_id` and `channel_name`): the channel pipeline's verdict, as
 * the signed payload or a typed refusal.
 * @internal
 */
export const authHandler = handler(['POST'], async ({ env, request, arrival, trace }) => {
  const fields = await readFields(env, request)
  const socketId = fields.get('socket_id')
  const channel = fields.get('channel_name')
  const problem =
    socketIdProblem(socketId) ??
    (typeof channel === 'string' && channel !== '' ? null : 'channel_name is missing')
  if (problem !== null) throw new PresenceError('BAD_REQUEST', problem)
  if (trace.steps) trace({ check: 'shape', outcome: 'pass' })
  const state = {
    socketId: socketId as string,
    session: lazySession(env, request),
    request,
    clientId: clientIdOf(env, request),
    handler: 'auth' as const,
    arrival,
    trace: trace.steps,
  }
  const verdict = await authorizeChannel(env, state, channelTarget(env.registry, channel as string))
  return verdict.ok ? ok(verdict.grant) : refusal(verdict.error, env.debug, verdict.trace)
})
