import { defineChannels, deny, type PresenceError } from '@presence/server'
import type { Store } from '../store/store.js'
import type { FeatureDeps } from './deps.js'
import { presenceMember } from './user-info.js'

/** `null` when `userId` is a member of the chat, else the refusal. */
function membershipProblem(store: Store, chatId: string, userId: string): PresenceError | null {
  if (!store.chatExists(chatId)) return deny('CHAT_NOT_FOUND')
  if (!store.isChatMember(chatId, userId)) return deny('CHAT_FORBIDDEN')
  return null
}

/**
 * Feature `chat`: `private-chat@{chatId}` and `presence-chat@{chatId}`, for the
 * chat's members only (`CHAT_NOT_FOUND`, `CHAT_FORBIDDEN`).
 *
 * @param deps - the SQLite store, the online lookup and the cache TTL
 * @returns the feature's definitions, keyed by channel pattern
 */
export function chatChannels({ store }: FeatureDeps) {
  return defineChannels({
    'private-chat@{chatId}': {
      authorize: ({ user, params }) => membershipProblem(store, params.chatId, user.userId) ?? true,
    },
    'presence-chat@{chatId}': {
      authorize: ({ user, params }) =>
        membershipProblem(store, params.chatId, user.userId) ??
        presenceMember(store, user.userId) ??
        deny('USER_NOT_FOUND'),
    },
  })
}
