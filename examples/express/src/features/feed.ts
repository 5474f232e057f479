import { defineChannels, deny } from '@presence/server'
import type { FeatureDeps } from './deps.js'

/**
 * Feature `feed`: `private-feed@{userId}`, a user's public activity feed
 * (anonymous allowed, cached). The batch service lists no presence receiver for feeds.
 *
 * @param deps - the SQLite store, the online lookup and the cache TTL
 * @returns the feature's definitions, keyed by channel pattern
 */
export function feedChannels({ store, cacheTtlMs }: FeatureDeps) {
  return defineChannels({
    'private-feed@{userId}': {
      user: 'optional',
      cache: { ttlMs: cacheTtlMs, scope: 'channel' },
      authorize: ({ params }) => (store.user(params.userId) ? true : deny('USER_NOT_FOUND')),
    },
  })
}
