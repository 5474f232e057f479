import { defineChannels, deny } from '@presence/server'
import type { FeatureDeps } from './deps.js'

/**
 * Feature `stream`, end-to-end encrypted: `private-encrypted-stream@{streamId}`,
 * the stream's subscribers-only feed (the exclusive room's links, tips with
 * messages): the streamer and the stream's subscribers may subscribe, anyone
 * else gets `SUBSCRIPTION_REQUIRED`, an unknown stream `STREAM_NOT_FOUND`, an
 * anonymous caller 401 `UNAUTHENTICATED`.
 *
 * Events on it are encrypted with a key derived from the channel name and the
 * app's encryption master key (`PUSHER_ENCRYPTION_MASTER_KEY_BASE64`): the
 * answer carries that key as `shared_secret`, and the websocket server only
 * ever relays ciphertext. The app defines this channel only when the master
 * key is configured (`ENCRYPTED_CHANNELS=on`).
 *
 * It is a grant of its own, not a variant of `private-stream@{streamId}`: that
 * channel is public (anyone, anonymous included, from one cached answer), this
 * one is for subscribers, cached per user under its own full name. A cached
 * answer for one never serves the other.
 *
 * @param deps - the SQLite store, the online lookup and the cache TTL
 * @returns the feature's definitions, keyed by channel pattern
 */
export function encryptedStreamChannels({ store, cacheTtlMs }: FeatureDeps) {
  return defineChannels({
    'private-encrypted-stream@{streamId}': {
      cache: { ttlMs: cacheTtlMs, scope: 'user' },
      authorize: ({ user, params }) => {
        const stream = store.stream(params.streamId)
        if (!stream) return deny('STREAM_NOT_FOUND')
        if (stream.user_id === user.userId || store.isSubscriber(stream.id, user.userId)) {
          return true
        }
        return deny('SUBSCRIPTION_REQUIRED')
      },
    },
  })
}
