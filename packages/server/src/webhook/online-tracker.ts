import type { CacheAdapter } from '../cache/types.js'
import { PresenceError } from '../errors.js'

/** Options of {@link onlineTracker}. */
export interface OnlineTrackerOptions {
  /** A cache with `increment` (`memoryCache`, or `redisCache` so several app instances agree). */
  cache: CacheAdapter
  /**
   * Lifetime of each counter, refreshed by every event for the user: a user
   * whose `member_removed` webhook was lost reads as offline after this.
   * @default 86_400_000 (24 h)
   */
  ttlMs?: number
  /**
   * Prefix of the tracker's keys (inside the cache's own prefix).
   * @default 'online:'
   */
  prefix?: string
  /**
   * How long a delivery's signature is remembered, so a redelivered batch
   * (a retry, or soketi sending one body to several webhook entries with the
   * same URL) does not count twice.
   * @default 600_000 (10 min)
   */
  dedupeMs?: number
}

/**
 * "Is this user online?", kept in a cache from `member_added` /
 * `member_removed` webhooks and read by any app instance sharing the cache.
 */
export interface OnlineTracker {
  /** Whether the user is in at least one presence channel. */
  isOnline(userId: string): Promise<boolean>
  /** Whether the user is in this presence channel. */
  isOnlineIn(userId: string, channel: string): Promise<boolean>
  /** In how many presence channels the user is. */
  channelCount(userId: string): Promise<number>
  /** Records a `member_added` (the webhook handler calls this). */
  memberAdded(channel: string, userId: string): Promise<void>
  /** Records a `member_removed` (the webhook handler calls this). */
  memberRemoved(channel: string, userId: string): Promise<void>
  /**
   * Whether a delivery is seen for the first time (atomic across instances).
   * @param deliveryId - e.g. the webhook's signature.
   */
  firstDelivery(deliveryId: string): Promise<boolean>
  /** Forgets a delivery whose updates failed, so its redelivery counts. */
  forgetDelivery(deliveryId: string): Promise<void>
}

const toCount = (value: string | null | undefined): number => {
  const count = Number.parseInt(value ?? '0', 10)
  return Number.isFinite(count) ? count : 0
}

/**
 * An online tracker over a shared cache. For each user and presence channel
 * it counts joins minus leaves (so a server that reports every connection
 * is counted right too); the user's channel count moves only when a channel
 * counter goes from 0 to 1 or from 1 to 0. Counters move with the cache's
 * atomic `increment`, so several app instances receiving webhooks agree, and
 * a leave delivered before its join (each webhook is its own HTTP post)
 * still ends offline. Counters expire `ttlMs` after their last event, which
 * heals a webhook that never arrived.
 *
 * @param options - the cache (with `increment`), counter lifetime and key prefix.
 * @returns the tracker; pass it as `webhooks.online` and query it anywhere.
 * @throws PresenceError `CONFIG_INVALID` when the cache has no `increment`.
 * @example
 * ```ts
 * import { redisCache } from '@presence/server/cache'
 * import { createPresenceServer, onlineTracker } from '@presence/server'
 *
 * const online = onlineTracker({ cache: redisCache(redis) })
 * const presence = createPresenceServer({ signer, session, channels, webhooks: { online } })
 * // app/api/pusher/webhook/route.ts: export const POST = presence.handlers.webhook
 * await online.isOnline('user-42')
 * ```
 */
export function onlineTracker(options: OnlineTrackerOptions): OnlineTracker {
  const { cache } = options
  const increment = cache?.increment?.bind(cache)
  if (!increment) {
    throw new PresenceError(
      'CONFIG_INVALID',
      'onlineTracker needs a cache with increment(): memoryCache() or redisCache(redis) from @presence/server/cache',
    )
  }
  const ttlMs = options.ttlMs ?? 86_400_000
  const dedupeMs = options.dedupeMs ?? 600_000
  const prefix = options.prefix ?? 'online:'
  const userKey = (userId: string) => `${prefix}u:${encodeURIComponent(userId)}`
  const channelKey = (channel: string, userId: string) =>
    `${prefix}c:${encodeURIComponent(channel)}:${encodeURIComponent(userId)}`

  const deliveryKey = (deliveryId: string) => `${prefix}delivery:${deliveryId}`

  const channelCount = async (userId: string) =>
    Math.max(0, toCount(await cache.get(userKey(userId))))

  return {
    channelCount,
    async isOnline(userId) {
      return (await channelCount(userId)) > 0
    },
    async isOnlineIn(userId, channel) {
      return toCount(await cache.get(channelKey(channel, userId))) > 0
    },
    async memberAdded(channel, userId) {
      const connections = await increment(channelKey(channel, userId), 1, ttlMs)
      if (connections === 1) await increment(userKey(userId), 1, ttlMs)
    },
    async memberRemoved(channel, userId) {
      // A counter may dip below zero when a leave is delivered before its join (webhooks are
      // separate HTTP posts); the join then brings it back to zero, and the user stays offline.
      if ((await increment(channelKey(channel, userId), -1, ttlMs)) === 0) {
        // Counters are never deleted: a delete could erase another instance's concurrent join.
        await increment(userKey(userId), -1, ttlMs)
      }
    },
    async firstDelivery(deliveryId) {
      return (await increment(deliveryKey(deliveryId), 1, dedupeMs)) === 1
    },
    async forgetDelivery(deliveryId) {
      await cache.delete(deliveryKey(deliveryId))
    },
  }
}
