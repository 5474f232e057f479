import type { CacheAdapter } from './cache/types.js'
import { PresenceError } from './errors.js'
import { bounded, type Timers } from './timers.js'

/**
 * The REST client `revokeUser` ends connections with: a `pusher` (v5.1+) instance, whose
 * `terminateUserConnections(userId)` is Pusher's
 * `POST /apps/{id}/users/{userId}/terminate_connections` (also served by soketi and Sockudo).
 */
export interface RestClient {
  /** Ends every connection signed in as `userId`; rejects when the HTTP call fails. */
  terminateUserConnections(userId: string): Promise<unknown>
}

/** What {@link PresenceServer.revokeUser} did. */
export interface RevokeResult {
  /** The user whose access was revoked. */
  readonly userId: string
  /**
   * The user's cached grants: `'revoked'` (unusable from now on, on every instance sharing the
   * cache) or `'no-cache'` (the server has no cache, so nothing was cached).
   */
  readonly grants: 'revoked' | 'no-cache'
  /** The user's connections: asked to terminate (the websocket server closes them). */
  readonly connections: 'terminated'
}

/** How long a user's grant generation lives in the cache, refreshed by each revocation. */
export const USER_GENERATION_TTL_MS = 7 * 24 * 3_600_000

/** A revocation's cache write may take this long (an admin action, not the hot path). */
const REVOKE_CACHE_TIMEOUT_MS = 2000

/** The cache key of a user's grant generation. */
function generationKey(userId: string): string {
  return `presence:usergen:v1:${JSON.stringify([userId])}`
}

/**
 * A random step: generations move by sums of random steps, so a generation the cache lost
 * (evicted, expired) and created again never comes back to a value an old grant was keyed by.
 */
const randomStep = () => 1 + Math.floor(Math.random() * 2 ** 30)

/** Moves a user's generation to a new value, atomically when the cache can increment. */
async function advance(cache: CacheAdapter, userId: string): Promise<string> {
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
    const created = await bounded(advance(cache, userId), options.timeoutMs, options.timers)
    return created.timedOut ? null : created.value
  } catch {
    return null
  }
}

/**
 * Builds `presence.revokeUser`.
 *
 * @param input - the grant cache and REST client, if configured, and the timers.
 * @returns `revokeUser(userId)`.
 * @internal
 */
export function createRevokeUser(input: {
  cache: CacheAdapter | undefined
  rest: RestClient | undefined
  timers: Timers
}): (userId: string) => Promise<RevokeResult> {
  const { cache, rest, timers } = input
  return async function revokeUser(userId) {
    if (typeof userId !== 'string' || userId === '') {
      throw new PresenceError('BAD_REQUEST', 'revokeUser needs the user id, a non-empty string')
    }
    // The cache first: from here on no instance sharing it serves this user a cached grant,
    // even if the REST call below fails.
    let cacheFailure: unknown
    if (cache) {
      try {
        const moved = await bounded(advance(cache, userId), REVOKE_CACHE_TIMEOUT_MS, timers)
        if (moved.timedOut) cacheFailure = new Error(`no answer in ${REVOKE_CACHE_TIMEOUT_MS} ms`)
      } catch (cause) {
        cacheFailure = cause
      }
    }
    if (!rest) {
      throw new PresenceError(
        'CONFIG_INVALID',
        `revokeUser(${JSON.stringify(userId)}): ${cache && !cacheFailure ? 'the cached grants are revoked, but ' : ''}` +
          'no connection was ended: createPresenceServer({ rest: new Pusher({ appId, key, secret, ... }) })',
      )
    }
    let restFailure: unknown
    try {
      await rest.terminateUserConnections(userId)
    } catch (cause) {
      restFailure = cause
    }
    if (cacheFailure !== undefined || restFailure !== undefined) {
      const parts = [
        cacheFailure !== undefined && 'the cached grants could not be revoked (the cache failed)',
        restFailure !== undefined &&
          `terminate_connections failed${cacheFailure === undefined ? ' (the cached grants are revoked)' : ''}`,
      ].filter(Boolean)
      throw new PresenceError(
        'REVOKE_FAILED',
        `revokeUser(${JSON.stringify(userId)}): ${parts.join('; ')}; call it again`,
        {
          cause: restFailure ?? cacheFailure,
        },
      )
    }
    return { userId, grants: cache ? 'revoked' : 'no-cache', connections: 'terminated' }
  }
}
