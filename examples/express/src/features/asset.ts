import { deny } from '@presence/server'
import type { FeatureContext } from './context.js'
import type { FeatureDeps } from './deps.js'
import { presenceMember } from './user-info.js'

/**
 * Feature `asset` (photos, videos): a public asset is open to anyone
 * (anonymous included), a private one to its owner only (`ASSET_FORBIDDEN`).
 * Not cached: the decision depends on the user for private assets.
 */
export function assetChannels({ store }: FeatureDeps) {
  const check = ({ user, params }: FeatureContext) => {
    const asset = store.asset(params.assetId ?? '')
    if (!asset) return deny('ASSET_NOT_FOUND')
    if (asset.public !== 1 && asset.owner_id !== user?.userId) return deny('ASSET_FORBIDDEN')
    return asset
  }
  return {
    'private-asset@{assetId}': {
      user: 'optional' as const,
      authorize: (ctx: FeatureContext) => {
        const asset = check(ctx)
        return 'owner_id' in asset ? true : asset
      },
    },
    'presence-asset@{assetId}': {
      authorize: (ctx: FeatureContext) => {
        if (!ctx.user) return deny('UNAUTHENTICATED')
        const asset = check(ctx)
        if (!('owner_id' in asset)) return asset
        const role = asset.owner_id === ctx.user.userId ? 'owner' : 'viewer'
        return presenceMember(store, ctx.user.userId, role) ?? deny('USER_NOT_FOUND')
      },
    },
  }
}
