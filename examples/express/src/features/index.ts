import { assetChannels } from './asset.js'
import { campaignChannels } from './campaign.js'
import { chatChannels } from './chat.js'
import { clientChannels } from './client.js'
import type { FeatureDeps } from './deps.js'
import { feedChannels } from './feed.js'
import { goalChannels } from './goal.js'
import { messageChannels } from './message.js'
import { orderChannels } from './order.js'
import { sessionChannels } from './session.js'
import { sessionExclusiveChannels } from './session-exclusive.js'
import { streamChannels } from './stream.js'
import { streamExclusiveChannels } from './stream-exclusive.js'
import { streamViewerChannels } from './stream-viewer.js'
import { userChannels } from './user.js'

/**
 * The batch authentication service's features, `{type}-{feature}@{objectId}`,
 * as one channel registry. Private channels for user, message, feed, goal,
 * stream, stream-viewer, session, order, asset, chat and campaign; presence
 * channels for user, client, asset, chat, goal, session, stream,
 * stream-viewer, stream-exclusive, session-exclusive, order and message.
 *
 * @param deps - the store, the online lookup and the cache TTL
 * @returns the `channels` option of `createPresenceServer`
 */
export function seedChannels(deps: FeatureDeps) {
  return {
    ...userChannels(deps),
    ...messageChannels(deps),
    ...feedChannels(deps),
    ...goalChannels(deps),
    ...streamChannels(deps),
    ...streamViewerChannels(deps),
    ...sessionChannels(deps),
    ...orderChannels(deps),
    ...assetChannels(deps),
    ...chatChannels(deps),
    ...campaignChannels(deps),
    ...clientChannels(deps),
    ...streamExclusiveChannels(deps),
    ...sessionExclusiveChannels(deps),
  }
}

export type { FeatureDeps } from './deps.js'
