import type { Store } from '../store/store.js'
import { onlineDevices, streamInfoOfUser } from './stream-events.js'
import type { RetainedEvent } from './types.js'

/** Tells whether a user is online (kept in Redis from soketi's webhooks). */
export type IsOnline = (userId: string) => boolean | Promise<boolean>

/**
 * The batch service's sender `user` receivers, in the service's order:
 * `attach_stream_info`, `attach_lovense_online_device`, `get_online_status`
 * (`user.online`), `append_reply_price` (`user.reply-price-changed`),
 * `attach_user_level` (`level.updated`).
 *
 * The service's `attach_user_events` (the user's last `message.sent`) is not
 * here: `private-user@{userId}` is a public profile channel, answered to anyone
 * (anonymous callers included) from one cached answer, and a chat message
 * belongs to the chat's members only. The last message of a chat is retained
 * on `private-message@{chatId}`, which only the chat's members may join.
 *
 * @param store - the SQLite store
 * @param isOnline - the online status lookup (Redis, fed by webhooks)
 * @param userId - the user of a `private-user@…` channel
 * @returns the events, or none for an unknown user
 */
export async function userEvents(
  store: Store,
  isOnline: IsOnline,
  userId: string,
): Promise<RetainedEvent[]> {
  const user = store.user(userId)
  if (!user) return []
  return [
    ...streamInfoOfUser(store, userId),
    ...onlineDevices(store, userId),
    { event: 'user.online', data: { userId, online: await isOnline(userId) } },
    { event: 'user.reply-price-changed', data: { userId, price: user.reply_price } },
    { event: 'level.updated', data: { userId, level: user.level } },
  ]
}
