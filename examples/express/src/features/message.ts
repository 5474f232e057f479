import { deny } from '@presence/server'
import type { FeatureContext } from './context.js'
import type { FeatureDeps } from './deps.js'
import { presenceMember } from './user-info.js'

/**
 * Feature `message`: a chat's message thread. Both channels are for the chat's
 * members only; `private-message@{chatId}` retains the last `message.sent`,
 * `presence-message@{chatId}` shows who is in the thread (typing indicators).
 */
export function messageChannels({ store }: FeatureDeps) {
  const memberOnly = ({ user, params }: FeatureContext) => {
    if (!user) return deny('UNAUTHENTICATED')
    if (!store.isChatMember(params.chatId ?? '', user.userId)) return deny('CHAT_FORBIDDEN')
    return null
  }
  return {
    'private-message@{chatId}': {
      authorize: (ctx: FeatureContext) => memberOnly(ctx) ?? true,
      retain: [
        ({ params }: FeatureContext) => {
          const last = store.lastMessageOfChat(params.chatId ?? '')
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
      authorize: (ctx: FeatureContext) =>
        memberOnly(ctx) ?? presenceMember(store, ctx.user?.userId ?? '') ?? deny('USER_NOT_FOUND'),
    },
  }
}
