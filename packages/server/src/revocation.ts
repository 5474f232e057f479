import type { CacheAdapter } from './cache/types.js'
import { advanceUserGeneration } from './cache/user-generation.js'
import { PresenceError } from './errors.js'
import { bounded, type Timers } from './timers.js'

/** A revocation's cache write may take this long (an admin action, not the hot path). */
const REVOKE_CACHE_TIMEOUT_MS = 2000

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
        const moved = await bounded(
          advanceUserGeneration(cache, userId),
          REVOKE_CACHE_TIMEOUT_MS,
          timers,
        )
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
