import { defineChannels, deny } from '@presence/server'
import type { FeatureDeps } from './deps.js'
import { presenceMember } from './user-info.js'

/**
 * Feature `client`: `presence-client@{clientId}`, the users signed in on one
 * client (an app install or browser), so that client can show who else uses
 * it. Only a login made on that client may join: the client id is the one the
 * login token was issued to (`auth_sessions.client_id`, read by the session
 * adapter), never the `X-Client-ID` header, which the caller controls. Another
 * client's login, or a login bound to none, gets `CLIENT_MISMATCH`. There is no
 * private channel for a client: nothing about a client is public.
 *
 * @param deps - the SQLite store, the online lookup and the cache TTL
 * @returns the feature's definitions, keyed by channel pattern
 */
export function clientChannels({ store }: FeatureDeps) {
  return defineChannels({
    'presence-client@{clientId}': {
      authorize: ({ user, params }) => {
        if (user.clientId !== params.clientId) {
          return deny(
            'CLIENT_MISMATCH',
            `this login was made on client ${user.clientId ?? '(none)'}, not ${params.clientId}`,
          )
        }
        return presenceMember(store, user.userId) ?? deny('USER_NOT_FOUND')
      },
    },
  })
}
