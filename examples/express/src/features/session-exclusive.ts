import { defineChannels, deny } from '@presence/server'
import type { FeatureDeps } from './deps.js'
import { presenceMember } from './user-info.js'

/**
 * Feature `session-exclusive`: `presence-session-exclusive@{sessionId}`, who
 * attends an exclusive (ticketed) session. The session must be exclusive
 * (`SESSION_NOT_EXCLUSIVE` otherwise, `SESSION_NOT_FOUND` when unknown); the
 * streamer joins as `host`, ticket holders as `ticket-holder`, anyone else gets
 * `TICKET_REQUIRED`. Presence only, like the service's receiver.
 *
 * @param deps - the SQLite store, the online lookup and the cache TTL
 * @returns the feature's definitions, keyed by channel pattern
 */
export function sessionExclusiveChannels({ store }: FeatureDeps) {
  return defineChannels({
    'presence-session-exclusive@{sessionId}': {
      authorize: ({ user, params }) => {
        const session = store.session(params.sessionId)
        if (!session) return deny('SESSION_NOT_FOUND')
        if (session.exclusive !== 1) return deny('SESSION_NOT_EXCLUSIVE')
        if (store.stream(session.stream_id)?.user_id === user.userId) {
          return presenceMember(store, user.userId, 'host') ?? deny('USER_NOT_FOUND')
        }
        if (!store.hasTicket(session.id, user.userId)) return deny('TICKET_REQUIRED')
        return presenceMember(store, user.userId, 'ticket-holder') ?? deny('USER_NOT_FOUND')
      },
    },
  })
}
