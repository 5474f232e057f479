import { PresenceError } from '../errors.js'
import {
  authorizeChannel,
  type ChannelTarget,
  channelTarget,
} from '../pipeline/authorize-channel.js'
import type { ChannelVerdict } from '../pipeline/verdict.js'
import { errorBody, type HttpAnswer, ok } from './answer.js'
import type { CoreEnv, Endpoint, RequestStart } from './endpoint.js'
import { endpoint, readSocketFields, requestState } from './endpoint.js'
import type { Fields } from './fields.js'
import type { CoreRequest } from './request.js'

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
  // A single GET value is comma separated; names with a comma use repeated params or POST.
  const channels =
    fromQuery && flat.length === 1 ? flat[0]!.split(',').filter((name) => name !== '') : flat
  return { channels, dialect: 'native' }
}

async function readShape(env: CoreEnv, request: CoreRequest): Promise<BatchShape> {
  const { fields, socketId } = await readSocketFields(env, request)
  const { channels, dialect } = channelList(fields, request.method === 'GET')
  if (channels.length === 0) throw new PresenceError('BAD_REQUEST', 'channels is empty')
  const unique = [...new Set(channels)]
  if (unique.length > env.maxChannels) {
    throw new PresenceError(
      'TOO_MANY_CHANNELS',
      `${unique.length} channels in one request; the limit (limits.maxChannels) is ${env.maxChannels}`,
    )
  }
  return { socketId, channels: unique, dialect }
}

/** Runs `task` over `items` with at most `limit` in flight, in the order given. */
async function runBounded<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await task(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/**
 * The order in which a batch's channels start: the longer time limit first
 * (presence and `priority: 'high'` before normal channels), in request order
 * otherwise. A channel without a definition (or with a bad name) goes last:
 * it is refused without running anything.
 */
function startOrder(targets: readonly ChannelTarget[]): number[] {
  const limitOf = targets.map((target) =>
    target.problem === null ? (target.match?.definition.timeoutMs ?? 0) : 0,
  )
  return targets.map((_, index) => index).sort((a, b) => limitOf[b]! - limitOf[a]! || a - b)
}

function entry(verdict: ChannelVerdict, dialect: BatchDialect, debug: boolean): unknown {
  if (dialect === 'pusher-js-auth') {
    return verdict.ok
      ? { status: 200, data: verdict.grant }
      : {
          status: verdict.error.status,
          data: errorBody(verdict.error, debug, verdict.trace, false),
        }
  }
  return verdict.ok ? verdict.grant : errorBody(verdict.error, debug, verdict.trace, true)
}

/**
 * The endpoint: its methods and {@link answerBatch}.
 * @param env - the server's parts.
 * @returns the endpoint.
 * @internal
 */
export function batchEndpoint(env: CoreEnv): Endpoint {
  return endpoint(env, { methods: ['GET', 'POST'], answer: answerBatch })
}

/**
 * Answers a batch: one session lookup, channels authorized concurrently
 * (at most `limits.concurrency` at once), longer time limits started first,
 * duplicates answered once. Each channel's limit counts from the request's
 * arrival, so the batch answers within its largest limit whatever its size;
 * a channel that cannot start or finish in time is `TIMEOUT`. Dialects:
 * `GET ?socket_id=…&channels=a,b`, POST JSON `{ socket_id, channels }`,
 * POST form `channel_name[i]` (pusher-js-auth). The answer map has no
 * prototype, so any channel name (`__proto__` too) is answered like another.
 */
async function answerBatch(env: CoreEnv, start: RequestStart): Promise<HttpAnswer> {
  const shape = await readShape(env, start.request)
  const { trace } = start
  if (trace.steps) {
    trace({ check: 'shape', outcome: 'pass', detail: `${shape.channels.length} channel(s)` })
  }
  const state = requestState(env, start, { socketId: shape.socketId, handler: 'batch' })
  const targets = shape.channels.map((name) => channelTarget(env.registry, name))
  const verdicts = new Array<ChannelVerdict>(targets.length)
  await runBounded(startOrder(targets), env.concurrency, async (index) => {
    verdicts[index] = await authorizeChannel(state, targets[index]!)
  })
  const answer: Record<string, unknown> = Object.create(null)
  for (let i = 0; i < shape.channels.length; i++) {
    answer[shape.channels[i]!] = entry(verdicts[i]!, shape.dialect, env.debug)
  }
  return ok(answer)
}
