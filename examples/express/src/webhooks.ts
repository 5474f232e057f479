import type { OnlineTracker, WebhookHandlers } from '@presence/server'
import type { Redis } from 'ioredis'

/** Where {@link memberWebhooks} keeps the last presence join of each user (a Redis hash). */
export const LAST_SEEN_KEY = 'ext.pusher:last-seen'

/** A user's last presence join, as recorded from a `member_added` webhook. */
export interface LastSeen {
  channel: string
  /** The member's `user_info` from the auth cache (the batch service's "cached user info"), if cached. */
  info: unknown
  /** When soketi sent the webhook (ms since epoch). */
  at: number
}

/**
 * The webhook handlers of the app: the online tracker counts joins and leaves
 * in Redis (shared by every instance), and `member_added` records the user's
 * last presence join with the member data the auth pipeline cached, which is
 * what the batch service keeps presence user info in the cache for ("used in pusher callback").
 *
 * @param redis - the shared Redis
 * @param online - the online tracker (over the same Redis through `redisCache`)
 * @returns the `webhooks` option of `createPresenceServer`
 */
export function memberWebhooks(redis: Redis, online: OnlineTracker): WebhookHandlers {
  return {
    online,
    async member_added(event, context) {
      const member = await context.cachedMember()
      const seen: LastSeen = {
        channel: event.channel,
        info: member?.user_info ?? null,
        at: context.timeMs,
      }
      await redis.hset(LAST_SEEN_KEY, event.user_id, JSON.stringify(seen))
    },
  }
}

/**
 * Reads a user's last presence join.
 *
 * @param redis - the shared Redis
 * @param userId - the user
 * @returns the record, or `null` when the user never joined a presence channel
 */
export async function lastSeen(redis: Redis, userId: string): Promise<LastSeen | null> {
  const raw = await redis.hget(LAST_SEEN_KEY, userId)
  return raw ? (JSON.parse(raw) as LastSeen) : null
}
