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
 * atomic `increment`, so several app instances receiving webhooks agree.
 * Counters never go below zero: a leave whose join the cache no longer holds
 * (expired, evicted) is ignored, and a join always makes the user present
 * (so a leave delivered before its join, each webhook being its own HTTP
 * post, leaves the user online until the counter expires). Counters expire
 * `ttlMs` after their last event, which heals a webhook that never arrived.
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

  /**
   * Adds one; a result of 0 or less (the counter had gone under zero) is lifted to 1. Counters
   * move only by atomic increments, never by a read then a write or a delete, so another
   * instance's concurrent event is never erased.
   * @returns the new count, at least 1.
   */
  const countUp = async (key: string): Promise<number> => {
    const count = await increment(key, 1, ttlMs)
    return count > 0 ? count : increment(key, 1 - count, ttlMs)
  }
  /**
   * Takes one away, never below zero: a leave whose join the cache no longer holds (expired
   * after `ttlMs`, evicted from memory) is undone, so the next join counts as fresh.
   * @returns the new count, or -1 when the leave was undone.
   */
  const countDown = async (key: string): Promise<number> => {
    const count = await increment(key, -1, ttlMs)
    if (count >= 0) return count
    await increment(key, 1, ttlMs)
    return -1
  }
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
      // A join that lands on 1 or below is a fresh join: a counter left at or under zero (a
      // leave whose join had expired or been evicted) must never hide a present member.
      if ((await countUp(channelKey(channel, userId))) === 1) await countUp(userKey(userId))
    },
    async memberRemoved(channel, userId) {
      if ((await countDown(channelKey(channel, userId))) === 0) await countDown(userKey(userId))
    },
    async firstDelivery(deliveryId) {
      return (await increment(deliveryKey(deliveryId), 1, dedupeMs)) === 1
    },
    async forgetDelivery(deliveryId) {
      await cache.delete(deliveryKey(deliveryId))
    },
  }
}
