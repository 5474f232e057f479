import { deny } from '@presence/server'
import { onlineDevices, streamInfo } from '../retained/stream-events.js'
import type { FeatureContext } from './context.js'
import type { FeatureDeps } from './deps.js'
import { presenceMember } from './user-info.js'

/**
 * Feature `stream`: `private-stream@{streamId}` (public, anonymous allowed,
 * cached, high priority: seed 001 gives private-stream the 4 s limit;
 * retains `stream_info` and `attach_lovense_online_device`) and
 * `presence-stream@{streamId}` (the audience, the streamer as `host`).
 */
export function streamChannels({ store, cacheTtlMs }: FeatureDeps) {
  return {
    'private-stream@{streamId}': {
      user: 'optional' as const,
      priority: 'high' as const,
      cache: { ttlMs: cacheTtlMs },
      authorize: ({ params }: FeatureContext) =>
        store.stream(params.streamId ?? '') ? true : deny('STREAM_NOT_FOUND'),
      retain: [
        ({ params }: FeatureContext) => streamInfo(store, params.streamId ?? ''),
        ({ params }: FeatureContext) => {
          const stream = store.stream(params.streamId ?? '')
          return stream ? onlineDevices(store, stream.user_id) : []
        },
      ],
    },
    'presence-stream@{streamId}': {
      authorize: ({ user, params }: FeatureContext) => {
        if (!user) return deny('UNAUTHENTICATED')
        const stream = store.stream(params.streamId ?? '')
        if (!stream) return deny('STREAM_NOT_FOUND')
        const role = stream.user_id === user.userId ? 'host' : 'viewer'
        return presenceMember(store, user.userId, role) ?? deny('USER_NOT_FOUND')
      },
    },
  }
}
