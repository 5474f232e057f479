import { defineChannels, deny } from '@presence/server'
import { userEvents } from '../retained/user-events.js'
import type { FeatureDeps } from './deps.js'
import { presenceMember } from './user-info.js'

/**
 * Feature `user`: `private-user@{userId}` (a profile: public, anonymous allowed,
 * cached; the batch service's sender `user` receivers as retained events) and
 * `presence-user@{userId}` (who is looking at a profile).
 *
 * @param deps - the SQLite store, the online lookup and the cache TTL
 * @returns the feature's definitions, keyed by channel pattern
 */
export function userChannels({ store, isOnline, cacheTtlMs }: FeatureDeps) {
  return defineChannels({
    'private-user@{userId}': {
      user: 'optional',
      cache: { ttlMs: cacheTtlMs, scope: 'channel' },
      authorize: ({ params }) => (store.user(params.userId) ? true : deny('USER_NOT_FOUND')),
      retain: [({ params }) => userEvents(store, isOnline, params.userId)],
    },
    'presence-user@{userId}': {
      authorize: ({ user, params }) => {
        if (!store.user(params.userId)) return deny('USER_NOT_FOUND')
        const role = user.userId === params.userId ? 'owner' : 'visitor'
        return presenceMember(store, user.userId, role) ?? deny('USER_NOT_FOUND')
      },
    },
  })
}
