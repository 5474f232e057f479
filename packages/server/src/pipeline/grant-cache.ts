import type { CacheAdapter } from '../cache/types.js'
import { PresenceError } from '../errors.js'
import { bounded, type Timers } from '../timers.js'
import { isPlainObject } from './interpret.js'
import type { Permit } from './verdict.js'

const PREFIX = 'presence:grant:v2:'

/**
 * The cache key of a grant. The parts are JSON-encoded, so no channel name
 * or user id can produce another pair's key, and the scope is part of the
 * key. Names are never folded (`private-X` and `private-encrypted-X` are two
 * keys); the client id is never part of a key.
 * @param channel - the full channel name, as requested.
 * @param userId - the user id (scope `'user'`), or `null` (scope `'channel'`).
 * @returns the key.
 * @example
 * ```ts
 * grantCacheKey('private-doc@1', 'alice') // 'presence:grant:v2:u:["private-doc@1","alice"]'
 * grantCacheKey('private-doc@1', null)    // 'presence:grant:v2:c:["private-doc@1"]'
 * ```
 */
export function grantCacheKey(channel: string, userId: string | null): string {
  return userId === null
    ? `${PREFIX}c:${JSON.stringify([channel])}`
    : `${PREFIX}u:${JSON.stringify([channel, userId])}`
}

/** The outcome of a bounded cache read. @internal */
export type CacheRead =
  | { readonly kind: 'hit'; readonly permit: Permit }
  | { readonly kind: 'miss' }
  | { readonly kind: 'error'; readonly error: PresenceError }

function isPermit(value: unknown): value is Permit {
  if (!isPlainObject(value)) return false
  const { member, events, generation } = value
  if (events !== undefined && !Array.isArray(events)) return false
  if (generation !== undefined && typeof generation !== 'string') return false
  if (member !== undefined) {
    if (!isPlainObject(member)) return false
    if (typeof member.user_id !== 'string' || member.user_id === '') return false
  }
  return true
}

function cacheError(message: string, cause?: unknown): PresenceError {
  return new PresenceError('UNAVAILABLE', message, cause === undefined ? {} : { cause })
}

/** A cache adapter with the bound of each call (`limits.cacheTimeoutMs`). @internal */
export interface BoundedCache {
  readonly cache: CacheAdapter
  readonly timeoutMs: number
  readonly timers: Timers
}

/**
 * Reads a permit, bounded by `timeoutMs`. A failure, a timeout or a value
 * that is not a permit is an `error`: the caller bypasses the cache and lets
 * the authorizer decide — a cache never grants by failing.
 * @internal
 */
export async function readPermit(
  { cache, timeoutMs, timers }: BoundedCache,
  key: string,
): Promise<CacheRead> {
  try {
    const result = await bounded(cache.get(key), timeoutMs, timers)
    if (result.timedOut) {
      return {
        kind: 'error',
        error: cacheError(`cache get exceeded ${timeoutMs} ms (limits.cacheTimeoutMs)`),
      }
    }
    if (result.value === null || result.value === undefined) return { kind: 'miss' }
    let decoded: unknown
    try {
      decoded = JSON.parse(result.value)
    } catch (cause) {
      return { kind: 'error', error: cacheError('cache held a value that is not JSON', cause) }
    }
    if (!isPermit(decoded)) {
      return { kind: 'error', error: cacheError('cache held a value that is not a grant') }
    }
    return { kind: 'hit', permit: decoded }
  } catch (cause) {
    return { kind: 'error', error: cacheError('cache get failed', cause) }
  }
}

/**
 * Writes permits behind the answer: a write never delays it, at most
 * `maxInFlight` writes are pending at once (more are dropped and reported),
 * and each is bounded by `timeoutMs`.
 * @internal
 */
export interface PermitWriter {
  /**
   * Starts a write.
   * @returns `null` when done or dropped synchronously with no error,
   *   a `PresenceError` when dropped or failed synchronously, or a promise of
   *   the outcome (`null` or the error) for a pending write.
   */
  write(
    key: string,
    permit: Permit,
    ttlMs: number,
  ): PresenceError | null | Promise<PresenceError | null>
}

/** The default of `limits.cacheTimeoutMs`: the bound of one cache read or write. */
export const DEFAULT_CACHE_TIMEOUT_MS = 100

/**
 * Creates the write-behind of the grant cache.
 * @param bounds - the adapter, the bound of one write (`limits.cacheTimeoutMs`), the timers.
 * @param maxInFlight - bound of pending writes.
 * @returns the writer.
 * @internal
 */
export function createPermitWriter(
  { cache, timeoutMs, timers }: BoundedCache,
  maxInFlight: number,
): PermitWriter {
  let inFlight = 0
  return {
    write(key, permit, ttlMs) {
      if (inFlight >= maxInFlight) {
        return cacheError(`cache write dropped: ${inFlight} writes already in flight`)
      }
      let pending: void | Promise<void>
      try {
        pending = cache.set(key, JSON.stringify(permit), ttlMs)
      } catch (cause) {
        return cacheError('cache set failed', cause)
      }
      if (!(pending instanceof Promise)) return null
      // Counted until the cache itself settles (not only until the bound), so a
      // frozen cache holds at most maxInFlight writes.
      inFlight++
      const settled = pending.then(
        () => {
          inFlight--
        },
        (cause: unknown) => {
          inFlight--
          throw cause
        },
      )
      return bounded(settled, timeoutMs, timers).then(
        (result) =>
          result.timedOut
            ? cacheError(`cache set exceeded ${timeoutMs} ms (limits.cacheTimeoutMs)`)
            : null,
        (cause: unknown) => cacheError('cache set failed', cause),
      )
    },
  }
}
