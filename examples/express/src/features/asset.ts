import { defineChannels, deny, type PresenceError } from '@presence/server'
import type { AssetRow, Store } from '../store/store.js'
import type { FeatureDeps } from './deps.js'
import { presenceMember } from './user-info.js'

/** The asset if `userId` (or an anonymous caller) may see it, else the refusal. */
function visibleAsset(
  store: Store,
  assetId: string,
  userId: string | undefined,
): AssetRow | PresenceError {
  const asset = store.asset(assetId)
  if (!asset) return deny('ASSET_NOT_FOUND')
  if (asset.public !== 1 && asset.owner_id !== userId) return deny('ASSET_FORBIDDEN')
  return asset
}

/**
 * Feature `asset` (photos, videos): a public asset is open to anyone
 * (anonymous included), a private one to its owner only (`ASSET_FORBIDDEN`).
 * Not cached: for private assets the decision depends on the user.
 *
 * @param deps - the SQLite store, the online lookup and the cache TTL
 * @returns the feature's definitions, keyed by channel pattern
 */
export function assetChannels({ store }: FeatureDeps) {
  return defineChannels({
    'private-asset@{assetId}': {
      user: 'optional',
      authorize: ({ user, params }) => {
        const asset = visibleAsset(store, params.assetId, user?.userId)
        return 'owner_id' in asset ? true : asset
      },
    },
    'presence-asset@{assetId}': {
      authorize: ({ user, params }) => {
        const asset = visibleAsset(store, params.assetId, user.userId)
        if (!('owner_id' in asset)) return asset
        const role = asset.owner_id === user.userId ? 'owner' : 'viewer'
        return presenceMember(store, user.userId, role) ?? deny('USER_NOT_FOUND')
      },
    },
  })
}
