import { defineChannels, deny } from '@presence/server'
import type { FeatureDeps } from './deps.js'
import { presenceMember } from './user-info.js'

/**
 * Feature `stream-exclusive`: `presence-stream-exclusive@{streamId}`, a
 * stream's members-only room. The streamer joins as `host`, the stream's
 * subscribers as `subscriber`; anyone else gets `SUBSCRIPTION_REQUIRED`, an
 * unknown stream `STREAM_NOT_FOUND`. Presence only, like the service's receiver.
 *
 * @param deps - the SQLite store, the online lookup and the cache TTL
 * @returns the feature's definitions, keyed by channel pattern
 */
export function streamExclusiveChannels({ store }: FeatureDeps) {
  return defineChannels({
    'presence-stream-exclusive@{streamId}': {
      authorize: ({ user, params }) => {
        const stream = store.stream(params.streamId)
        if (!stream) return deny('STREAM_NOT_FOUND')
        if (stream.user_id === user.userId) {
          return presenceMember(store, user.userId, 'host') ?? deny('USER_NOT_FOUND')
        }
        if (!store.isSubscriber(stream.id, user.userId)) return deny('SUBSCRIPTION_REQUIRED')
        return presenceMember(store, user.userId, 'subscriber') ?? deny('USER_NOT_FOUND')
      },
    },
  })
}
