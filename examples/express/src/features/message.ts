import { defineChannels, deny } from '@presence/server'
import type { FeatureDeps } from './deps.js'
import { presenceMember } from './user-info.js'

/**
 * Feature `message`: a chat's message thread. Both channels are for the chat's
 * members only (`CHAT_FORBIDDEN`); `private-message@{chatId}` retains the last
 * `message.sent`, `presence-message@{chatId}` shows who is in the thread.
 *
 * @param deps - the SQLite store, the online lookup and the cache TTL
 * @returns the feature's definitions, keyed by channel pattern
 */
export function messageChannels({ store }: FeatureDeps) {
  return defineChannels({
    'private-message@{chatId}': {
      authorize: ({ user, params }) =>
        store.isChatMember(params.chatId, user.userId) || deny('CHAT_FORBIDDEN'),
      retain: [
        ({ params }) => {
          const last = store.lastMessageOfChat(params.chatId)
          if (!last) return []
          const data = {
            chatId: last.chat_id,
            senderId: last.sender_id,
            body: last.body,
            sentAt: last.sent_at,
          }
          return [{ event: 'message.sent', data }]
        },
      ],
    },
    'presence-message@{chatId}': {
      authorize: ({ user, params }) => {
        if (!store.isChatMember(params.chatId, user.userId)) return deny('CHAT_FORBIDDEN')
        return presenceMember(store, user.userId) ?? deny('USER_NOT_FOUND')
      },
    },
  })
}
