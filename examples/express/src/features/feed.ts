import { deny } from '@presence/server'
import type { FeatureContext } from './context.js'
import type { FeatureDeps } from './deps.js'

/**
 * Feature `feed`: `private-feed@{userId}`, a user's public activity feed
 * (anonymous allowed, cached). Seed 001 lists no presence receiver for feeds.
 */
export function feedChannels({ store, cacheTtlMs }: FeatureDeps) {
  return {
    'private-feed@{userId}': {
      user: 'optional' as const,
      cache: { ttlMs: cacheTtlMs },
      authorize: ({ params }: FeatureContext) =>
        store.user(params.userId ?? '') ? true : deny('USER_NOT_FOUND'),
    },
  }
}
