import { assetChannels } from './asset.js'
import { chatChannels } from './chat.js'
import type { FeatureDeps } from './deps.js'
import { feedChannels } from './feed.js'
import { goalChannels } from './goal.js'
import { messageChannels } from './message.js'
import { orderChannels } from './order.js'
import { sessionChannels } from './session.js'
import { streamChannels } from './stream.js'
import { streamViewerChannels } from './stream-viewer.js'
import { userChannels } from './user.js'

/**
 * The original service's features, `{type}-{feature}@{objectId}`, as one channel registry:
 * user, message, feed, goal, stream, stream-viewer, session, order, asset, chat.
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
  }
}

export type { FeatureDeps } from './deps.js'
