import { defineChannels, deny } from '@presence/server'
import type { FeatureDeps } from './deps.js'

/**
 * Feature `campaign`: `private-campaign@{campaignId}`, a marketing campaign's
 * public channel (anonymous allowed, cached). Its retained events are the ones
 * stored for the channel, attached by the server-wide provider
 * (`src/retained/channel-events.ts`, the "all senders" receiver); an unknown
 * campaign gets `CAMPAIGN_NOT_FOUND`.
 *
 * @param deps - the SQLite store, the online lookup and the cache TTL
 * @returns the feature's definitions, keyed by channel pattern
 */
export function campaignChannels({ store, cacheTtlMs }: FeatureDeps) {
  return defineChannels({
    'private-campaign@{campaignId}': {
      user: 'optional',
      cache: { ttlMs: cacheTtlMs, scope: 'channel' },
      authorize: ({ params }) =>
        store.campaign(params.campaignId) ? true : deny('CAMPAIGN_NOT_FOUND'),
    },
  })
}
