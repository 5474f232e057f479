import type { CacheAdapter } from '../cache/types.js'
import { PresenceError } from '../errors.js'

/**
 * How far a webhook's `time_ms` may be from now, in ms, by default: 5 minutes,
 * the tolerance Stripe and Pusher's own guidance use.
 */
export const DEFAULT_WEBHOOK_MAX_AGE_MS = 300_000

/** The most deliveries remembered in process when no shared cache is configured. */
const MEMORY_LOG_MAX = 10_000

/**
 * Refuses a delivery dated outside `[now - maxAgeMs, now + maxAgeMs]`: a
 * captured, validly signed delivery cannot be replayed once it is older than
 * the window (the window on the future side covers clock skew).
 *
 * @param timeMs - the delivery's `time_ms`.
 * @param nowMs - wall-clock now, ms since the epoch.
 * @param maxAgeMs - the window.
 * @throws PresenceError `WEBHOOK_EXPIRED` (401) outside the window.
 * @internal
 */
export function assertFresh(timeMs: number, nowMs: number, maxAgeMs: number): void {
  const skew = nowMs - timeMs
  if (Math.abs(skew) > maxAgeMs) {
    throw new PresenceError(
      'WEBHOOK_EXPIRED',
      `the webhook is dated ${Math.round(skew / 1000)} s ${skew >= 0 ? 'ago' : 'ahead'}; deliveries ` +
        `more than ${Math.round(maxAgeMs / 1000)} s from now are refused (a replay, or a clock ` +
        'that is off: sync this server with NTP, or raise the webhook max age)',
    )
  }
}

/**
 * Remembers which deliveries were already handled, so a delivery seen twice
 * (a replay inside the window, a retry of a delivery that succeeded, or one
 * body posted to several webhook entries of the same app) runs its handlers once.
 * @internal
 */
export interface DeliveryLog {
  /** Whether `id` is seen for the first time; remembers it for `ttlMs`. */
  first(id: string, ttlMs: number): Promise<boolean>
  /** Forgets `id` (its handlers failed: the sender's retry must run them). */
  forget(id: string): Promise<void>
}

/**
 * A delivery log in the server's cache when it can count atomically (shared
 * by every instance on one Redis), else in process (one instance; bounded,
 * oldest forgotten first).
 *
 * @param cache - the server's cache adapter, if any.
 * @param now - a monotonic clock in ms, for the in-process log.
 * @returns the log.
 * @internal
 */
export function createDeliveryLog(cache: CacheAdapter | undefined, now: () => number): DeliveryLog {
  const increment = cache?.increment?.bind(cache)
  if (cache && increment) {
    const key = (id: string) => `webhook:delivery:${id}`
    return {
      first: async (id, ttlMs) => (await increment(key(id), 1, ttlMs)) === 1,
      forget: async (id) => {
        await cache.delete(key(id))
      },
    }
  }
  const seen = new Map<string, number>()
  return {
    async first(id, ttlMs) {
      const at = now()
      const expires = seen.get(id)
      if (expires !== undefined && expires > at) return false
      seen.delete(id)
      if (seen.size >= MEMORY_LOG_MAX) {
        // Insertion order is expiry order (one ttl per server): drop the oldest.
        const oldest = seen.keys().next()
        if (!oldest.done) seen.delete(oldest.value)
      }
      seen.set(id, at + ttlMs)
      return true
    },
    async forget(id) {
      seen.delete(id)
    },
  }
}
