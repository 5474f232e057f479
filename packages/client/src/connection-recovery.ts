import type { PusherLike, RecoveryOptions } from './options.js'
import { onTransportClosed, restartConnectionAttempt } from './pusher-internals.js'
import type { ConnectionState, RecoverySnapshot } from './snapshots.js'
import { createStore, type WritableStore } from './store.js'

/** The recovery of one client: its observable state and a way to stop it. @internal */
export interface ConnectionRecovery {
  readonly store: WritableStore<RecoverySnapshot>
  /** Cancels a pending retry and stops watching pusher-js (client destroyed). */
  stop(): void
}

/** Defaults of {@link RecoveryOptions}. */
const RECOVERY_DEFAULTS = { firstDelayMs: 1000, maxDelayMs: 3000 } as const

const OFF: RecoverySnapshot = { phase: 'off', attempt: 0, delayMs: null }

/**
 * Retries a lost connection on a short backoff with full jitter.
 *
 * pusher-js waits out a 15 s attempt timer after a refused connection; this
 * restarts the attempt sooner. Phases (the store's `phase`):
 *
 * - `off`: connected, never connected yet (the first connection is left to
 *   pusher-js), or disconnected by the app. Nothing scheduled.
 * - `attempting`: the connection was lost and an attempt is in flight
 *   (pusher-js's own first retry, or one the recovery started). The recovery
 *   waits for it to fail: a slow attempt is never replaced.
 * - `waiting`: the attempt failed; the next one starts after `delayMs`, drawn
 *   uniformly from `[0, min(maxDelayMs, firstDelayMs × 2^attempt)]`.
 *
 * `connected` goes back to `off` (the attempt count restarts at 0), and so
 * does the app's own `disconnect()`. One attempt at a time: the failed one
 * is dropped before the next starts.
 *
 * @param pusher - the pusher-js instance.
 * @param options - the delays, or `false` to leave pusher-js's pacing alone.
 * @param random - a number in `[0, 1)`; `Math.random` unless a test injects one.
 * @returns the recovery.
 * @internal
 */
export function createConnectionRecovery(
  pusher: PusherLike,
  options: RecoveryOptions | false | undefined,
  random: () => number = Math.random,
): ConnectionRecovery {
  const store = createStore(OFF)
  if (options === false) return { store, stop() {} }
  const firstDelayMs = options?.firstDelayMs ?? RECOVERY_DEFAULTS.firstDelayMs
  const maxDelayMs = options?.maxDelayMs ?? RECOVERY_DEFAULTS.maxDelayMs

  let everConnected = false
  let attempt = 0
  let retryTimer: ReturnType<typeof setTimeout> | undefined

  const enter = (phase: RecoverySnapshot['phase'], delayMs: number | null = null) =>
    store.set({ phase, attempt, delayMs })

  const goOff = () => {
    clearTimeout(retryTimer)
    retryTimer = undefined
    attempt = 0
    if (store.getSnapshot().phase !== 'off') enter('off')
  }

  const isReconnecting = () => {
    const state = pusher.connection.state as ConnectionState
    return everConnected && (state === 'connecting' || state === 'unavailable')
  }

  const onStateChange = ({ current }: { current: ConnectionState }) => {
    if (current === 'connected') {
      everConnected = true
      goOff()
    } else if (current === 'connecting' || current === 'unavailable') {
      // pusher-js's own first retry, one second after the connection closed.
      if (isReconnecting() && store.getSnapshot().phase === 'off') enter('attempting')
    } else {
      goOff()
    }
  }

  const onAttemptFailed = () => {
    if (store.getSnapshot().phase !== 'attempting' || !isReconnecting()) return
    const windowMs = Math.min(maxDelayMs, firstDelayMs * 2 ** attempt)
    const delayMs = Math.round(random() * windowMs)
    enter('waiting', delayMs)
    retryTimer = setTimeout(() => {
      retryTimer = undefined
      if (!isReconnecting()) return goOff()
      attempt++
      enter('attempting')
      restartConnectionAttempt(pusher)
    }, delayMs)
  }

  pusher.connection.bind('state_change', onStateChange)
  const stopWatching = onTransportClosed(pusher, onAttemptFailed)
  return {
    store,
    stop() {
      goOff()
      pusher.connection.unbind('state_change', onStateChange)
      stopWatching()
    },
  }
}
