import { defineChannels, deny } from '@presence/server'
import { onlineDevices, streamInfo } from '../retained/stream-events.js'
import type { FeatureDeps } from './deps.js'
import { presenceMember } from './user-info.js'

/**
 * Feature `stream`: `private-stream@{streamId}` (public, anonymous allowed,
 * cached, high priority: the batch service gives private-stream the 4 s limit; retains
 * `stream_info` and `attach_lovense_online_device`) and
 * `presence-stream@{streamId}` (the audience, the streamer as `host`).
 *
 * @param deps - the SQLite store, the online lookup and the cache TTL
 * @returns the feature's definitions, keyed by channel pattern
 */
export function streamChannels({ store, cacheTtlMs }: FeatureDeps) {
  return defineChannels({
    'private-stream@{streamId}': {
      user: 'optional',
      priority: 'high',
      cache: { ttlMs: cacheTtlMs, scope: 'channel' },
      authorize: ({ params }) => (store.stream(params.streamId) ? true : deny('STREAM_NOT_FOUND')),
      retain: [
        ({ params }) => streamInfo(store, params.streamId),
        ({ params }) => {
          const stream = store.stream(params.streamId)
          return stream ? onlineDevices(store, stream.user_id) : []
        },
      ],
    },
    'presence-stream@{streamId}': {
      // Member data is cached per user; the member_added webhook reads it back (the batch service).
      cache: { ttlMs: cacheTtlMs, scope: 'user' },
      authorize: ({ user, params }) => {
        const stream = store.stream(params.streamId)
        if (!stream) return deny('STREAM_NOT_FOUND')
        const role = stream.user_id === user.userId ? 'host' : 'viewer'
        return presenceMember(store, user.userId, role) ?? deny('USER_NOT_FOUND')
      },
    },
  })
}
