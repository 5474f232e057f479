import type { CacheAdapter } from './cache/types.js'
import type { ParsedChannel } from './channel.js'
import type { PresenceMember, RetainedEvent } from './definition.js'
import { PresenceError } from './errors.js'
import { bounded, type Timers } from './timers.js'

/** What an allowed channel stores in the cache: the authorizer's data, never a signature. */
export interface CachedGrant {
  member?: PresenceMember
  events?: RetainedEvent[]
}

/** The client id used when a request has none (a batch authentication service's anonymous client). */
export const ANONYMOUS_CLIENT_ID = 'ANON'

const PREFIX = 'presence:grant:v1:'

/**
 * The cache key of a channel grant.
 * - private: the name with `encrypted-` folded away (`private-encrypted-stream@1`
 *   and `private-stream@1` share data), the client id (`ANON` when none) and the
 *   user id (so a grant made for one user is never served to another);
 * - presence: the name and the user id (member data is per user).
 * @param channel - the parsed channel.
 * @param clientId - the client id, or `null`.
 * @param userId - the session's user id, or `null`.
 * @returns the key.
 * @internal
 */
export function grantCacheKey(
  channel: ParsedChannel,
  clientId: string | null,
  userId: string | null,
): string {
  if (channel.type === 'presence') return `${PREFIX}${channel.name}|u:${userId ?? ''}`
  const folded = channel.encrypted
    ? `private-${channel.name.slice('private-encrypted-'.length)}`
    : channel.name
  return `${PREFIX}${folded}|c:${clientId ?? ANONYMOUS_CLIENT_ID}|u:${userId ?? ''}`
}

/** The outcome of a bounded cache read. @internal */
export type CacheRead =
  | { kind: 'hit'; grant: CachedGrant }
  | { kind: 'miss' }
  | { kind: 'error'; error: PresenceError }

function isGrant(value: unknown): value is CachedGrant {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const { member, events } = value as CachedGrant
  if (events !== undefined && !Array.isArray(events)) return false
  if (member !== undefined) {
    if (member === null || typeof member !== 'object') return false
    if (typeof member.user_id !== 'string' || member.user_id === '') return false
  }
  return true
}

function cacheError(message: string, cause?: unknown): PresenceError {
  return new PresenceError('UNAVAILABLE', message, cause === undefined ? {} : { cause })
}

/**
 * Reads a grant, bounded by `timeoutMs`. Errors, timeouts and undecodable
 * values are reported as `error` (the caller bypasses the cache).
 * @internal
 */
export async function readGrant(
  cache: CacheAdapter,
  key: string,
  timeoutMs: number,
  timers: Timers,
): Promise<CacheRead> {
  try {
    const result = await bounded(cache.get(key), timeoutMs, timers)
    if (result.timedOut)
      return { kind: 'error', error: cacheError(`cache get exceeded ${timeoutMs} ms`) }
    if (result.value === null || result.value === undefined) return { kind: 'miss' }
    let decoded: unknown
    try {
      decoded = JSON.parse(result.value)
    } catch (cause) {
      return { kind: 'error', error: cacheError('cache held a value that is not JSON', cause) }
    }
    if (!isGrant(decoded))
      return { kind: 'error', error: cacheError('cache held a value that is not a grant') }
    return { kind: 'hit', grant: decoded }
  } catch (cause) {
    return { kind: 'error', error: cacheError('cache get failed', cause) }
  }
}

/**
 * Stores a grant, bounded by `timeoutMs`.
 * @returns `null`, or the error (reported, never fatal).
 * @internal
 */
export async function writeGrant(
  cache: CacheAdapter,
  key: string,
  grant: CachedGrant,
  ttlMs: number,
  timeoutMs: number,
  timers: Timers,
): Promise<PresenceError | null> {
  try {
    const result = await bounded(cache.set(key, JSON.stringify(grant), ttlMs), timeoutMs, timers)
    return result.timedOut ? cacheError(`cache set exceeded ${timeoutMs} ms`) : null
  } catch (cause) {
    return cacheError('cache set failed', cause)
  }
}
