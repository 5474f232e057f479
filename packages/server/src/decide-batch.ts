import { authorizeChannel, type ChannelDecision, type RequestState } from './authorize-channel.js'
import type { Fields } from './body.js'
import { formFields } from './body.js'
import {
  type CoreEnv,
  clientIdOf,
  errorBody,
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

/** The wire format of a batch request, answered in kind. */
export type BatchDialect = 'native' | 'pusher-js-auth'

interface BatchShape {
  socketId: string
  channels: string[]
  dialect: BatchDialect
}

function channelList(
  fields: Fields,
  fromQuery: boolean,
): { channels: string[]; dialect: BatchDialect } {
  const indexed = fields.indexed('channel_name')
  if (indexed !== null) return { channels: indexed, dialect: 'pusher-js-auth' }
  const values = fields.all('channels')
  if (values.length === 0) throw new PresenceError('BAD_REQUEST', 'channels is missing')
  const flat: string[] = []
  for (const value of values) {
    if (typeof value !== 'string') {
      throw new PresenceError('BAD_REQUEST', 'channels must hold channel names (strings)')
    }
    flat.push(value)
  }
  // A batch authentication service: a single GET value is comma separated; names with a comma use repeated params or POST.
  const channels =
    fromQuery && flat.length === 1 ? flat[0]!.split(',').filter((name) => name !== '') : flat
  return { channels, dialect: 'native' }
}

async function readShape(env: CoreEnv, request: CoreRequest): Promise<BatchShape> {
  let fields: Fields
  let fromQuery = false
  if (request.method === 'GET') {
    const query = request.url.indexOf('?')
    fields = formFields(new URLSearchParams(query < 0 ? '' : request.url.slice(query + 1)))
    fromQuery = true
  } else {
    fields = await readFields(env, request)
  }
  const socketId = fields.get('socket_id')
  const problem = socketIdProblem(socketId)
  if (problem !== null) throw new PresenceError('BAD_REQUEST', problem)
  const { channels, dialect } = channelList(fields, fromQuery)
  if (channels.length === 0) throw new PresenceError('BAD_REQUEST', 'channels is empty')
  const unique = [...new Set(channels)]
  if (unique.length > env.maxChannels) {
    throw new PresenceError(
      'TOO_MANY_CHANNELS',
      `${unique.length} channels in one request; the limit (limits.maxChannels) is ${env.maxChannels}`,
    )
  }
  return { socketId: socketId as string, channels: unique, dialect }
}

/** Runs `task` over `items` with at most `limit` in flight. @internal */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

function entry(decision: ChannelDecision, dialect: BatchDialect, debug: boolean): unknown {
  if (dialect === 'pusher-js-auth') {
    return decision.ok
      ? { status: 200, data: decision.grant }
      : {
          status: decision.error.status,
          data: errorBody(decision.error, debug, decision.trace, false),
        }
  }
  return decision.ok ? decision.grant : errorBody(decision.error, debug, decision.trace, true)
}

/**
 * Decides a batch: one session lookup, channels authorized concurrently
 * (bounded), duplicates answered once. Dialects: `GET ?socket_id=…&channels=a,b`,
 * POST JSON `{ socket_id, channels }`, POST form `channel_name[i]` (pusher-js-auth).
 * @param env - the server's parts.
 * @param request - the request.
 * @returns the answer as plain values: 200 with one entry per channel when the request is valid.
 * @internal
 */
export async function decideBatch(env: CoreEnv, request: CoreRequest): Promise<HttpDecision> {
  const trace = createTracer(env.debug)
  if (request.method !== 'POST' && request.method !== 'GET') {
    return refusal(
      new PresenceError('METHOD_NOT_ALLOWED', `use GET or POST (got ${request.method})`),
      env.debug,
      null,
      { Allow: 'GET, POST, OPTIONS' },
    )
  }
  try {
    const shape = await readShape(env, request)
    if (trace.steps)
      trace({ check: 'shape', outcome: 'pass', detail: `${shape.channels.length} channel(s)` })
    let sessionLookup: Promise<Session | null> | undefined
    const session = () => {
      sessionLookup ??= resolveSession(env, request)
      return sessionLookup
    }
    const state: RequestState = {
      socketId: shape.socketId,
      session,
      request,
      clientId: clientIdOf(env, request),
      handler: 'batch',
      trace: trace.steps,
    }
    const decisions = await mapBounded(shape.channels, env.concurrency, (name) =>
      authorizeChannel(env, state, name),
    )
    const answer: Record<string, unknown> = {}
    for (let i = 0; i < shape.channels.length; i++) {
      answer[shape.channels[i]!] = entry(decisions[i]!, shape.dialect, env.debug)
    }
    return ok(answer)
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
