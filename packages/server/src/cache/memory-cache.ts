import { LRUCache } from 'lru-cache'
import { PresenceError } from '../errors.js'
import type { CacheAdapter } from './types.js'

/** Options of {@link memoryCache}. */
export interface MemoryCacheOptions {
  /**
   * Most entries kept; the least recently used go first.
   * @default 10_000
   */
  max?: number
  /**
   * Upper bound on any entry's lifetime, in ms: an entry lives
   * `min(ttlMs given to set, this)`.
   * @default Infinity (the ttl each `set` gives)
   */
  ttlMs?: number
  /**
   * The clock, in ms (tests and edge runtimes).
   * @default `performance.now`
   */
  now?: () => number
}

/**
 * An in-process cache on `lru-cache`, with a TTL per entry and a bound on
 * the entry count. Right for one app instance; several instances behind a
 * load balancer want {@link redisCache} so they share grants and counters.
 *
 * @param options - size bound, TTL cap and clock.
 * @returns a {@link CacheAdapter} (synchronous, with `increment`).
 * @example
 * ```ts
 * import { memoryCache } from '@presence/server/cache'
 *
 * const presence = createPresenceServer({
 *   signer,
 *   session,
 *   cache: memoryCache({ max: 50_000 }),
 *   channels: { 'private-stream@{id}': { authorize, cache: { ttlMs: 30_000, scope: 'user' } } },
 * })
 * ```
 */
export function memoryCache(options: MemoryCacheOptions = {}): CacheAdapter & {
  increment(key: string, delta: number, ttlMs: number): number
  /** Entries currently held (expired ones may still count until touched). */
  readonly size: number
} {
  const max = options.max ?? 10_000
  const cap = options.ttlMs ?? Number.POSITIVE_INFINITY
  if (!Number.isInteger(max) || max < 1) {
    throw new PresenceError(
      'CONFIG_INVALID',
      `memoryCache({ max: ${max} }): max must be a positive integer`,
    )
  }
  if (!(cap > 0)) {
    throw new PresenceError(
      'CONFIG_INVALID',
      `memoryCache({ ttlMs: ${cap} }): ttlMs must be positive`,
    )
  }
  const clock = options.now
  const lru = new LRUCache<string, string>({
    max,
    // lru-cache reads a start time of 0 as "no TTL": shift an injected clock that starts at 0.
    ...(clock ? { perf: { now: () => clock() + 1 }, ttlResolution: 0 } : {}),
  })
  const lifetime = (ttlMs: number) => Math.ceil(Math.min(ttlMs, cap))
  const set = (key: string, value: string, ttlMs: number): void => {
    if (!(ttlMs > 0)) {
      lru.delete(key)
      return
    }
    const ttl = lifetime(ttlMs)
    lru.set(key, value, Number.isFinite(ttl) ? { ttl } : {})
  }

  return {
    get: (key) => lru.get(key) ?? null,
    set,
    delete(key) {
      lru.delete(key)
    },
    increment(key, delta, ttlMs) {
      const current = Number.parseInt(lru.get(key) ?? '0', 10)
      const next = (Number.isFinite(current) ? current : 0) + Math.trunc(delta)
      set(key, String(next), ttlMs)
      return next
    },
    get size() {
      return lru.size
    },
  }
}
