import { createPresenceServer, createSigner } from '@presence/server'
import { type NextAuthSession, nextAuth } from '@presence/server/session/next-auth'
import { authOptions } from './auth'
import { pusherServerConfig } from './env'
import type { DirectoryUser } from './users'

/** The `user_info` every member of `presence-messenger` carries. */
export type MessengerMemberInfo = Pick<DirectoryUser, 'name' | 'email' | 'image'>

/** The public profile in next-auth's session (what `getServerSession` answers). */
function profileOf(session: NextAuthSession): MessengerMemberInfo {
  const user = session.user
  return {
    name: user?.name ?? '',
    email: user?.email ?? '',
    image: user?.image ?? null,
  }
}

function createServer() {
  return createPresenceServer({
    // what PusherServer.authorizeChannel would sign: the same HMAC, byte for byte
    signer: createSigner(pusherServerConfig()),
    // next-auth's session cookie, read by next-auth's own getServerSession with the same
    // authOptions → { userId, user }, or null (401 UNAUTHENTICATED)
    session: nextAuth(authOptions),
    channels: {
      // user: 'required' (the default): signed-out callers never reach this function
      'presence-messenger': ({ user }) => ({ user_id: user.userId, user_info: profileOf(user) }),
    },
  })
}

let server: ReturnType<typeof createServer> | undefined

/**
 * The app's presence server, created on first request (so `next build` needs no secret). Its
 * `handlers` are Fetch handlers: Next.js route handlers use them as they are.
 */
export function presenceServer(): ReturnType<typeof createServer> {
  server ??= createServer()
  return server
}
