import { deny } from '@presence/server'
import type { FeatureContext } from './context.js'
import type { FeatureDeps } from './deps.js'
import { presenceMember } from './user-info.js'

/**
 * Feature `order`: personal, so both channels need a user who is the order's
 * buyer or seller. Anyone else gets `ORDER_FORBIDDEN`, whether the order
 * exists or not (no probing). Not cached: the private cache is keyed by
 * channel and client id, and this decision depends on the user.
 */
export function orderChannels({ store }: FeatureDeps) {
  const party = ({ user, params }: FeatureContext) => {
    if (!user) return deny('UNAUTHENTICATED')
    const order = store.order(params.orderId ?? '')
    if (!order || (order.buyer_id !== user.userId && order.seller_id !== user.userId)) {
      return deny(
        'ORDER_FORBIDDEN',
        `user ${user.userId} is neither buyer nor seller of this order`,
      )
    }
    return order.buyer_id === user.userId ? 'buyer' : 'seller'
  }
  return {
    'private-order@{orderId}': {
      authorize: (ctx: FeatureContext) => {
        const role = party(ctx)
        return typeof role === 'string' ? true : role
      },
      retain: [
        ({ params }: FeatureContext) => {
          const order = store.order(params.orderId ?? '')
          return order
            ? [{ event: 'order.updated', data: { id: order.id, status: order.status } }]
            : []
        },
      ],
    },
    'presence-order@{orderId}': {
      authorize: (ctx: FeatureContext) => {
        const role = party(ctx)
        if (typeof role !== 'string') return role
        return presenceMember(store, ctx.user?.userId ?? '', role) ?? deny('USER_NOT_FOUND')
      },
    },
  }
}
