import type { IncomingMessage, ServerResponse } from 'node:http'
import { createPresenceServer, createSigner, type Session } from '@presence/server'
import { toNodeHandler } from '@presence/server/node'
import type { SoketiServer } from '@presence/testing'

/**
 * The app server of the client's integration tests: the real `@presence/server`
 * with `handlers.auth` on `/auth` and `handlers.batch` on `/batch`, through
 * `toNodeHandler`. The session is the user of a `Bearer` token listed in
 * `tokens` (an unknown token: no session), else the `x-user` header.
 *
 * - `private-{name}`: allowed unless the full name is in `forbidden`;
 *   `private-stream@…` also carries two retained events (`retained`: 1, 2).
 * - `presence-{name}`: `{ user_id: <x-user>, user_info: { name: <x-user> } }`.
 *
 * @param soketi - the soketi whose key and secret sign.
 * @param forbidden - names refused with 403 `CHANNEL_FORBIDDEN`, changeable at run time.
 * @param tokens - valid bearer tokens and their user, changeable at run time.
 * @returns a Node request listener.
 */
export function createAuthApp(
  soketi: SoketiServer,
  forbidden: ReadonlySet<string>,
  tokens: ReadonlyMap<string, string> = new Map(),
) {
  const presence = createPresenceServer({
    signer: createSigner({ key: soketi.key, secret: soketi.secret }),
    session: (request): Session | null => {
      const bearer = request.headers.get('authorization')?.replace(/^Bearer /, '')
      if (bearer !== undefined) {
        const owner = tokens.get(bearer)
        return owner ? { userId: owner } : null
      }
      const user = request.headers.get('x-user')
      return user ? { userId: user } : null
    },
    channels: {
      'private-{name}': ({ channel, params }) =>
        forbidden.has(channel.name)
          ? false
          : params.name.startsWith('stream@')
            ? {
                events: [
                  { event: 'retained', data: 1 },
                  { event: 'retained', data: 2 },
                ],
              }
            : true,
      'presence-{name}': ({ user }) => ({ user_id: user.userId, user_info: { name: user.userId } }),
    },
  })
  const auth = toNodeHandler(presence.handlers.auth)
  const batch = toNodeHandler(presence.handlers.batch)
  return (req: IncomingMessage, res: ServerResponse) => {
    void (req.url?.startsWith('/batch') ? batch : auth)(req, res)
  }
}
