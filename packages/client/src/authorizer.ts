import type { ChannelAuthorizationCallback, ChannelAuthorizationHandler } from 'pusher-js'
import { requestAuth } from './auth-request.js'
import type { AuthOutcome } from './auth-response.js'
import { batchUrlOf } from './endpoints.js'
import type { AuthOptions } from './options.js'
import { createTokenRefresh, type TokenRefresh } from './token-refresh.js'

/**
 * How long channels asked for while a batch is in flight wait for its answer before they go
 * in a request of their own (a batch answers within the server's largest time limit, 4 s by
 * default; most answer in milliseconds).
 */
const MAX_HOLD_MS = 1000

/**
 * What to do with one channel's answer: hand it to pusher-js, authorize
 * again with fresh headers (the answer was for a previous user), or drop it
 * (it was for a socket that is gone; pusher-js authorizes again on reconnect).
 * @internal
 */
export type AnswerVerdict = 'deliver' | 'ask-again' | 'drop'

/** pusher-js's request for one channel, and the callback to answer it with. */
interface ChannelRequest {
  readonly params: Parameters<ChannelAuthorizationHandler>[0]
  readonly callback: ChannelAuthorizationCallback
}

/**
 * Creates pusher-js's `channelAuthorization.customHandler` that batches.
 *
 * With a batch URL (see `endpoints.ts`), the channels asked for in one task
 * go out as one request per socket id (split at `maxBatch`), sent at the end
 * of that task (a microtask): a page's subscription loop, the effects of one
 * React commit and pusher-js's resubscribe burst after a reconnect each run
 * in one task. While a batch for a socket id is in flight, further channels
 * for it wait and go together in the next request, sent when the answer is
 * in. A `batchWindowMs` above 0 waits that long instead of the end of the
 * task, for apps that subscribe across tasks. Without a batch URL, each
 * channel is one request to `endpoint`. A 401
 * calls `onUnauthorized()` once per token generation (see `token-refresh.ts`)
 * and retries the refused channels once.
 *
 * @param auth - the auth options (the batch URL is resolved once, with `batchUrlOf`).
 * @param judge - told about every channel's answer before pusher-js is.
 * @param shared - the client's refresh gate, shared with the sign-in (one refresh per token
 *   generation for both); by default one of its own.
 * @returns the handler.
 * @throws {@link PresenceClientError} `INVALID_OPTIONS` for unusable endpoints.
 * @internal
 */
export function createAuthorizer(
  auth: AuthOptions,
  judge: (channel: string, outcome: AuthOutcome, socketId: string) => AnswerVerdict,
  shared?: TokenRefresh,
): ChannelAuthorizationHandler {
  // Resolved once: a batch URL, or `false` for one request per channel.
  const options: AuthOptions = { ...auth, batchEndpoint: batchUrlOf(auth) ?? false }
  const refresh =
    shared ?? (options.onUnauthorized ? createTokenRefresh(options.onUnauthorized) : undefined)
  const maxBatch = options.maxBatch ?? 50
  const windowMs = options.batchWindowMs ?? 0
  // Channels waiting to be sent, all for one socket id.
  let queue: ChannelRequest[] = []
  // Whether a flush of the queue is scheduled (end of task, or the window's timer).
  let scheduled = false
  let windowTimer: ReturnType<typeof setTimeout> | undefined
  // Batches in flight per socket id: the queue for that socket waits for their answers.
  const inFlight = new Map<string, number>()
  // Bounds that wait: a request that never answers must not hold the channels behind it.
  let holdTimer: ReturnType<typeof setTimeout> | undefined

  const authorize = async (socketId: string, requests: ChannelRequest[], batch: boolean) => {
    const names = [...new Set(requests.map((request) => request.params.channelName))]
    const outcomes = new Map<string, AuthOutcome>()
    const generation = refresh?.generation ?? 0
    await requestAuth(options, socketId, names, batch, outcomes)
    const unauthorized = names.filter(
      (name) => (outcomes.get(name) as { status?: number }).status === 401,
    )
    if (refresh && unauthorized.length > 0) {
      await refresh.refreshAfter(generation)
      await requestAuth(options, socketId, unauthorized, batch, outcomes)
    }
    for (const request of requests) {
      const channel = request.params.channelName
      const outcome = outcomes.get(channel) as AuthOutcome
      const verdict = judge(channel, outcome, socketId)
      if (verdict === 'ask-again') void authorize(socketId, [request], batch)
      else if (verdict === 'drop') continue
      else if (outcome instanceof Error) request.callback(outcome, null)
      else request.callback(null, outcome)
    }
  }

  const flush = () => {
    scheduled = false
    clearTimeout(windowTimer)
    windowTimer = undefined
    clearTimeout(holdTimer)
    holdTimer = undefined
    const requests = queue
    queue = []
    const socketId = requests[0]?.params.socketId
    if (socketId === undefined) return
    inFlight.set(socketId, (inFlight.get(socketId) ?? 0) + 1)
    void authorize(socketId, requests, true).finally(() => {
      const left = (inFlight.get(socketId) ?? 1) - 1
      if (left > 0) inFlight.set(socketId, left)
      else inFlight.delete(socketId)
      // what arrived for this socket while the batch was in flight goes next
      if (left === 0 && queue[0]?.params.socketId === socketId) schedule()
    })
  }

  /**
   * Flushes at the end of the task (or after the window). While a batch for the socket is in
   * flight, the queue waits for its answer, at most {@link MAX_HOLD_MS}.
   */
  const schedule = () => {
    const socketId = queue[0]?.params.socketId
    if (scheduled || socketId === undefined) return
    if (inFlight.has(socketId)) {
      holdTimer ??= setTimeout(flush, MAX_HOLD_MS)
      return
    }
    scheduled = true
    if (windowMs > 0) windowTimer = setTimeout(flush, windowMs)
    else
      queueMicrotask(() => {
        if (scheduled) flush()
      })
  }

  return (params, callback) => {
    if (!options.batchEndpoint)
      return void authorize(params.socketId, [{ params, callback }], false)
    // One socket id per request: a new socket (reconnect) sends what is queued first.
    if (queue[0] && queue[0].params.socketId !== params.socketId) flush()
    // A channel asked twice counts twice here (it is sent once): flushing early is harmless.
    // A full batch goes at once, even while another one is in flight.
    if (queue.push({ params, callback }) >= maxBatch) flush()
    else schedule()
  }
}
