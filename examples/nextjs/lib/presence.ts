import { createPresenceServer, createSigner, type Session } from '@presence/server'
import { betterAuth } from '@presence/server/session'
import { getAuth } from './auth'
import { pusherServerConfig } from './env'
import type { DirectoryUser } from './users'

/** The `user_info` every member of `presence-messenger` carries. */
export type MessengerMemberInfo = Pick<DirectoryUser, 'name' | 'email' | 'image'>

/** better-auth's `user` record, as the `betterAuth` session adapter hands it over. */
function profileOf(session: Session): MessengerMemberInfo {
  const user = (session.user ?? {}) as { name?: unknown; email?: unknown; image?: unknown }
  return {
    name: typeof user.name === 'string' ? user.name : '',
    email: typeof user.email === 'string' ? user.email : '',
    image: typeof user.image === 'string' ? user.image : null,
  }
}

function createServer() {
  return createPresenceServer({
    // what PusherServer.authorizeChannel would sign: the same HMAC, byte for byte
    signer: createSigner(pusherServerConfig()),
    // the better-auth session cookie → { userId, user, session }, or null (401 UNAUTHENTICATED)
    session: betterAuth(getAuth()),
    channels: {
      // user: 'required' (the default): signed-out callers never reach this function
      'presence-messenger': ({ user }) => ({ user_id: user.userId, user_info: profileOf(user) }),
    },
  })
}

let server: ReturnType<typeof createServer> | undefined

/**
 * The app's presence server, created on first request (so `next build` opens
 * no database). Its `handlers` are Fetch handlers: Next.js route handlers use
 * them as they are.
 */
export function presenceServer(): ReturnType<typeof createServer> {
  server ??= createServer()
  return server
}
