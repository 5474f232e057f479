import type { Store } from '../store/store.js'
import { onlineDevices, streamInfoOfUser } from './stream-events.js'
import type { RetainedEvent } from './types.js'

/** Tells whether a user is online (kept in Redis from soketi's webhooks). */
export type IsOnline = (userId: string) => boolean | Promise<boolean>

/**
 * The batch service's sender `user` receivers, in the service's order:
 * `attach_stream_info`, `attach_lovense_online_device`, `get_online_status`
 * (`user.online`), `append_reply_price` (`user.reply-price-changed`),
 * `attach_user_level` (`level.updated`), `attach_user_events` (`message.sent`).
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
  const events: RetainedEvent[] = [
    ...streamInfoOfUser(store, userId),
    ...onlineDevices(store, userId),
    { event: 'user.online', data: { userId, online: await isOnline(userId) } },
    { event: 'user.reply-price-changed', data: { userId, price: user.reply_price } },
    { event: 'level.updated', data: { userId, level: user.level } },
  ]
  const last = store.lastMessageBy(userId)
  if (last) {
    events.push({
      event: 'message.sent',
      data: {
        chatId: last.chat_id,
        senderId: last.sender_id,
        body: last.body,
        sentAt: last.sent_at,
      },
    })
  }
  return events
}
