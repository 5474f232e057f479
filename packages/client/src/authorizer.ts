import type { ChannelAuthorizationCallback, ChannelAuthorizationHandler } from 'pusher-js'
import { requestAuth } from './auth-request.js'
import type { AuthOutcome } from './auth-response.js'
import type { AuthOptions } from './types.js'

/** pusher-js's request (`socketId`, `channelName`) and the callback to answer it with. */
type Pending = [Parameters<ChannelAuthorizationHandler>[0], ChannelAuthorizationCallback]

/**
 * Creates pusher-js's `channelAuthorization.customHandler` that batches.
 *
 * With `batchEndpoint`, the channels asked for within `batchWindowMs` go out
 * as one request per socket id (split at `maxBatch`); this covers a page
 * subscribing to many channels and pusher-js's resubscribe burst after a
 * reconnect. Without it, each channel is one request to `endpoint`. A 401
 * calls `onUnauthorized()` (shared by concurrent requests) and retries the
 * refused channels once.
 *
 * @param options - the auth options.
 * @param onOutcome - told about every channel's outcome before pusher-js is;
 *   returning `false` discards it and authorizes that channel again (the
 *   answer was for a previous user).
 * @returns the handler.
 * @internal
 */
export function createAuthorizer(
  options: AuthOptions,
  onOutcome: (channel: string, outcome: AuthOutcome) => unknown,
): ChannelAuthorizationHandler {
  let queue: Pending[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  let refreshing: Promise<void> | undefined

  const run = async (socketId: string, items: Pending[], batch: boolean) => {
    const names = [...new Set(items.map(([p]) => p.channelName))]
    const results = new Map<string, AuthOutcome>()
    await requestAuth(options, socketId, names, batch, results)
    const refused = names.filter((n) => (results.get(n) as { status?: number }).status === 401)
    if (refused[0] && options.onUnauthorized) {
      // Concurrent 401s share one call; a failing refresh still retries.
      refreshing ??= (async () => {
        try {
          await options.onUnauthorized?.()
        } catch {}
        refreshing = undefined
      })()
      await refreshing
      await requestAuth(options, socketId, refused, batch, results)
    }
    for (const item of items) {
      const [{ channelName: channel }, callback] = item
      const o = results.get(channel) as AuthOutcome
      if (onOutcome(channel, o) === false) void run(socketId, [item], batch)
      else if (o instanceof Error) callback(o, null)
      else callback(null, o)
    }
  }

  const flush = () => {
    clearTimeout(timer)
    timer = undefined
    const items = queue
    queue = []
    if (items[0]) void run(items[0][0].socketId, items, true)
  }

  return (params, callback) => {
    const { socketId } = params
    if (!options.batchEndpoint) return void run(socketId, [[params, callback]], false)
    // One socket id per request: a new socket (reconnect) sends what is queued first.
    if (queue[0]?.[0].socketId !== socketId) flush()
    // A channel asked twice counts twice here (it is sent once): flushing early is harmless.
    if (queue.push([params, callback]) >= (options.maxBatch ?? 50)) flush()
    else timer ??= setTimeout(flush, options.batchWindowMs ?? 10)
  }
}
