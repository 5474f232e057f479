import { defineChannels, deny } from '@presence/server'
import { goalEvents } from '../retained/goal-events.js'
import type { FeatureDeps } from './deps.js'
import { presenceMember } from './user-info.js'

/**
 * Feature `goal`: `private-goal@{goalId}` (public, anonymous allowed, cached;
 * the batch service's `authorize_goal` retains `goal.updated`) and
 * `presence-goal@{goalId}` (supporters watching a goal).
 *
 * @param deps - the SQLite store, the online lookup and the cache TTL
 * @returns the feature's definitions, keyed by channel pattern
 */
export function goalChannels({ store, cacheTtlMs }: FeatureDeps) {
  return defineChannels({
    'private-goal@{goalId}': {
      user: 'optional',
      cache: { ttlMs: cacheTtlMs, scope: 'channel' },
      authorize: ({ params }) => (store.goal(params.goalId) ? true : deny('GOAL_NOT_FOUND')),
      retain: [({ params }) => goalEvents(store, params.goalId)],
    },
    'presence-goal@{goalId}': {
      authorize: ({ user, params }) => {
        if (!store.goal(params.goalId)) return deny('GOAL_NOT_FOUND')
        return presenceMember(store, user.userId, 'supporter') ?? deny('USER_NOT_FOUND')
      },
    },
  })
}
