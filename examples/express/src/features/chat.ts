import { deny } from '@presence/server'
import type { FeatureContext } from './context.js'
import type { FeatureDeps } from './deps.js'
import { presenceMember } from './user-info.js'

/**
 * Feature `chat`: `private-chat@{chatId}` and `presence-chat@{chatId}`, for the
 * chat's members only (`CHAT_NOT_FOUND`, `CHAT_FORBIDDEN`).
 */
export function chatChannels({ store }: FeatureDeps) {
  const member = ({ user, params }: FeatureContext) => {
    if (!user) return deny('UNAUTHENTICATED')
    const chatId = params.chatId ?? ''
    if (!store.chatExists(chatId)) return deny('CHAT_NOT_FOUND')
    if (!store.isChatMember(chatId, user.userId)) return deny('CHAT_FORBIDDEN')
    return user.userId
  }
  return {
    'private-chat@{chatId}': {
      authorize: (ctx: FeatureContext) => {
        const userId = member(ctx)
        return typeof userId === 'string' ? true : userId
      },
    },
    'presence-chat@{chatId}': {
      authorize: (ctx: FeatureContext) => {
        const userId = member(ctx)
        if (typeof userId !== 'string') return userId
        return presenceMember(store, userId) ?? deny('USER_NOT_FOUND')
      },
    },
  }
}
