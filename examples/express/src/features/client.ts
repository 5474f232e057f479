import { defineChannels, deny } from '@presence/server'
import type { FeatureDeps } from './deps.js'
import { presenceMember } from './user-info.js'

/**
 * Feature `client`: `presence-client@{clientId}`, the users signed in on one
 * client (an app install or browser, named by its `X-Client-ID` header), so
 * that client can show who else uses it. Only a caller that sends that client
 * id may join: another client id, or none, gets `CLIENT_MISMATCH`. There is no
 * private channel for a client: nothing about a client is public.
 *
 * @param deps - the SQLite store, the online lookup and the cache TTL
 * @returns the feature's definitions, keyed by channel pattern
 */
export function clientChannels({ store }: FeatureDeps) {
  return defineChannels({
    'presence-client@{clientId}': {
      authorize: ({ user, params, clientId }) => {
        if (clientId !== params.clientId) {
          return deny(
            'CLIENT_MISMATCH',
            `X-Client-ID ${clientId ?? '(none)'} is not ${params.clientId}`,
          )
        }
        return presenceMember(store, user.userId) ?? deny('USER_NOT_FOUND')
      },
    },
  })
}
