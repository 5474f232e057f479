import { defineChannels, deny, type PresenceError } from '@presence/server'
import type { Store } from '../store/store.js'
import type { FeatureDeps } from './deps.js'
import { presenceMember } from './user-info.js'

/** The user's side of an order, or the refusal: anyone but the buyer and seller is refused. */
function sideOf(store: Store, orderId: string, userId: string): 'buyer' | 'seller' | PresenceError {
  const order = store.order(orderId)
  if (order?.buyer_id === userId) return 'buyer'
  if (order?.seller_id === userId) return 'seller'
  return deny('ORDER_FORBIDDEN', `user ${userId} is neither buyer nor seller of order ${orderId}`)
}

/**
 * Feature `order`: personal, so both channels need a user who is the order's
 * buyer or seller. Anyone else gets `ORDER_FORBIDDEN`, whether the order
 * exists or not (no probing). Not cached: this decision is the user's alone.
 *
 * @param deps - the SQLite store, the online lookup and the cache TTL
 * @returns the feature's definitions, keyed by channel pattern
 */
export function orderChannels({ store }: FeatureDeps) {
  return defineChannels({
    'private-order@{orderId}': {
      authorize: ({ user, params }) => {
        const side = sideOf(store, params.orderId, user.userId)
        return typeof side === 'string' ? true : side
      },
      retain: [
        ({ params }) => {
          const order = store.order(params.orderId)
          return order
            ? [{ event: 'order.updated', data: { id: order.id, status: order.status } }]
            : []
        },
      ],
    },
    'presence-order@{orderId}': {
      authorize: ({ user, params }) => {
        const side = sideOf(store, params.orderId, user.userId)
        if (typeof side !== 'string') return side
        return presenceMember(store, user.userId, side) ?? deny('USER_NOT_FOUND')
      },
    },
  })
}
