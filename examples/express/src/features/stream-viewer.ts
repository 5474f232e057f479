import { defineChannels, deny } from '@presence/server'
import type { FeatureDeps } from './deps.js'
import { presenceMember } from './user-info.js'

/**
 * Feature `stream-viewer`: `private-stream-viewer@{streamId}` (the viewer
 * counter: public, anonymous allowed, cached, retains `stream.viewers.updated`)
 * and `presence-stream-viewer@{streamId}` (the viewer list).
 *
 * @param deps - the SQLite store, the online lookup and the cache TTL
 * @returns the feature's definitions, keyed by channel pattern
 */
export function streamViewerChannels({ store, cacheTtlMs }: FeatureDeps) {
  return defineChannels({
    'private-stream-viewer@{streamId}': {
      user: 'optional',
      cache: { ttlMs: cacheTtlMs, scope: 'channel' },
      authorize: ({ params }) => (store.stream(params.streamId) ? true : deny('STREAM_NOT_FOUND')),
      retain: [
        ({ params }) => {
          const stream = store.stream(params.streamId)
          if (!stream) return []
          const data = { streamId: stream.id, viewers: stream.viewers }
          return [{ event: 'stream.viewers.updated', data }]
        },
      ],
    },
    'presence-stream-viewer@{streamId}': {
      // Member data is cached per user; the member_added webhook reads it back (the batch service).
      cache: { ttlMs: cacheTtlMs, scope: 'user' },
      authorize: ({ user, params }) => {
        if (!store.stream(params.streamId)) return deny('STREAM_NOT_FOUND')
        return presenceMember(store, user.userId, 'viewer') ?? deny('USER_NOT_FOUND')
      },
    },
  })
}
