import { defineChannels, deny } from '@presence/server'
import type { FeatureDeps } from './deps.js'
import { presenceMember } from './user-info.js'

/**
 * Feature `session` (one broadcast of a stream): `private-session@{sessionId}`
 * (public, anonymous allowed, cached; retains the session's ephemeral events
 * and rating) and `presence-session@{sessionId}` (who attends).
 *
 * @param deps - the SQLite store, the online lookup and the cache TTL
 * @returns the feature's definitions, keyed by channel pattern
 */
export function sessionChannels({ store, cacheTtlMs }: FeatureDeps) {
  return defineChannels({
    'private-session@{sessionId}': {
      user: 'optional',
      cache: { ttlMs: cacheTtlMs, scope: 'channel' },
      authorize: ({ params }) =>
        store.session(params.sessionId) ? true : deny('SESSION_NOT_FOUND'),
      retain: [
        ({ params }) => {
          const session = store.session(params.sessionId)
          if (!session) return []
          const rating = { sessionId: session.id, rating: session.rating }
          return [
            ...store.sessionEvents(session.id),
            { event: 'session.rating.updated', data: rating },
          ]
        },
      ],
    },
    'presence-session@{sessionId}': {
      authorize: ({ user, params }) => {
        if (!store.session(params.sessionId)) return deny('SESSION_NOT_FOUND')
        return presenceMember(store, user.userId, 'attendee') ?? deny('USER_NOT_FOUND')
      },
    },
  })
}
