import { bounded, type Timers } from '../timers.js'
import type { CacheAdapter } from './types.js'

/** How long a user's grant generation lives in the cache, refreshed by each revocation. @internal */
export const USER_GENERATION_TTL_MS = 7 * 24 * 3_600_000

/** The cache key of a user's grant generation. */
function generationKey(userId: string): string {
  return `presence:usergen:v1:${JSON.stringify([userId])}`
}

/**
 * A random step: generations move by sums of random steps, so a generation the cache lost
 * (evicted, expired) and created again never comes back to a value an old grant was keyed by.
 */
const randomStep = () => 1 + Math.floor(Math.random() * 2 ** 30)

/**
 * Moves a user's grant generation to a new value (revocation), atomically when the cache can
 * increment.
 * @param cache - the grant cache.
 * @param userId - the user.
 * @returns the new generation.
 * @internal
 */
export async function advanceUserGeneration(cache: CacheAdapter, userId: string): Promise<string> {
  const key = generationKey(userId)
  if (cache.increment) {
    return String(await cache.increment(key, randomStep(), USER_GENERATION_TTL_MS))
  }
  const value = `n${randomStep()}.${randomStep()}`
  await cache.set(key, value, USER_GENERATION_TTL_MS)
  return value
}

/**
 * The user's grant generation, part of the key of every grant cached for the user (scope
 * `'user'`), read once per request before anything is authorized. Absent (never revoked,
 * or lost by the cache): created now, with a fresh value, when `create` is set; otherwise
 * `null`. A failing or slow cache is `null` too: the caller then bypasses the cache (a cache
 * never grants by failing).
 *
 * @param cache - the grant cache.
 * @param userId - the user.
 * @param options - whether to create an absent generation, the read bound and the timers.
 * @returns the generation, or `null`.
 * @internal
 */
export async function readUserGeneration(
  cache: CacheAdapter,
  userId: string,
  options: { create: boolean; timeoutMs: number; timers: Timers },
): Promise<string | null> {
  try {
    const read = await bounded(cache.get(generationKey(userId)), options.timeoutMs, options.timers)
    if (read.timedOut) return null
    if (typeof read.value === 'string' && read.value !== '') return read.value
    if (!options.create) return null
    if (!cache.increment) {
      // A fresh nonce is used at once and written behind: if the write is lost, the next
      // request creates another, and grants stamped with this one are simply not served.
      const nonce = `n${randomStep()}.${randomStep()}`
      Promise.resolve()
        .then(() => cache.set(generationKey(userId), nonce, USER_GENERATION_TTL_MS))
        .catch(() => {})
      return nonce
    }
    const created = await bounded(
      advanceUserGeneration(cache, userId),
      options.timeoutMs,
      options.timers,
    )
    return created.timedOut ? null : created.value
  } catch {
    return null
  }
}
