import { deny } from '@presence/server'
import type { FeatureContext } from './context.js'
import type { FeatureDeps } from './deps.js'
import { presenceMember } from './user-info.js'

/**
 * Feature `stream-viewer`: `private-stream-viewer@{streamId}` (the viewer
 * counter: public, anonymous allowed, cached, retains `stream.viewers.updated`)
 * and `presence-stream-viewer@{streamId}` (the viewer list).
 */
export function streamViewerChannels({ store, cacheTtlMs }: FeatureDeps) {
  return {
    'private-stream-viewer@{streamId}': {
      user: 'optional' as const,
      cache: { ttlMs: cacheTtlMs },
      authorize: ({ params }: FeatureContext) =>
        store.stream(params.streamId ?? '') ? true : deny('STREAM_NOT_FOUND'),
      retain: [
        ({ params }: FeatureContext) => {
          const stream = store.stream(params.streamId ?? '')
          if (!stream) return []
          return [
            {
              event: 'stream.viewers.updated',
              data: { streamId: stream.id, viewers: stream.viewers },
            },
          ]
        },
      ],
    },
    'presence-stream-viewer@{streamId}': {
      authorize: ({ user, params }: FeatureContext) => {
        if (!user) return deny('UNAUTHENTICATED')
        if (!store.stream(params.streamId ?? '')) return deny('STREAM_NOT_FOUND')
        return presenceMember(store, user.userId, 'viewer') ?? deny('USER_NOT_FOUND')
      },
    },
  }
}
