import { deny } from '@presence/server'
import type { FeatureContext } from './context.js'
import type { FeatureDeps } from './deps.js'
import { presenceMember } from './user-info.js'

/**
 * Feature `session` (one broadcast of a stream): `private-session@{sessionId}`
 * (public, anonymous allowed, cached, retains the session's ephemeral events
 * and rating) and `presence-session@{sessionId}` (who attends).
 */
export function sessionChannels({ store, cacheTtlMs }: FeatureDeps) {
  return {
    'private-session@{sessionId}': {
      user: 'optional' as const,
      cache: { ttlMs: cacheTtlMs },
      authorize: ({ params }: FeatureContext) =>
        store.session(params.sessionId ?? '') ? true : deny('SESSION_NOT_FOUND'),
      retain: [
        ({ params }: FeatureContext) => {
          const session = store.session(params.sessionId ?? '')
          if (!session) return []
          return [
            ...store.sessionEvents(session.id),
            {
              event: 'session.rating.updated',
              data: { sessionId: session.id, rating: session.rating },
            },
          ]
        },
      ],
    },
    'presence-session@{sessionId}': {
      authorize: ({ user, params }: FeatureContext) => {
        if (!user) return deny('UNAUTHENTICATED')
        if (!store.session(params.sessionId ?? '')) return deny('SESSION_NOT_FOUND')
        return presenceMember(store, user.userId, 'attendee') ?? deny('USER_NOT_FOUND')
      },
    },
  }
}
