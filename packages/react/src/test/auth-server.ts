/**
 * The app server of the integration tests, run as its own process (as a real app's server is):
 * `@presence/server` behind Node's `http` (`toNodeHandler`), with a session read from `Authorization: Bearer
 * <userId>`. It prints `LISTENING <port>` once ready.
 *
 * Environment: `PUSHER_KEY`, `PUSHER_SECRET`, `ORIGIN` (the browser origin allowed by CORS).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createPresenceServer, createSigner } from '@presence/server'
import { toNodeHandler } from '@presence/server/node'

const key = process.env.PUSHER_KEY ?? 'app-key'
const secret = process.env.PUSHER_SECRET ?? 'app-secret'
const origin = process.env.ORIGIN ?? 'http://localhost:3000'

const presence = createPresenceServer({
  signer: createSigner({ key, secret }),
  session: (request) => {
    const match = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')
    return match?.[1] ? { userId: match[1] } : null
  },
  cors: [origin],
  channels: {
    'presence-messenger': ({ user }) => ({
      user_id: user.userId,
      user_info: { name: user.userId },
    }),
    'presence-room@{roomId}': ({ user }) => ({
      user_id: user.userId,
      user_info: { name: user.userId },
    }),
    'private-feed@{feedId}': () => true,
  },
})

const auth = toNodeHandler(presence.handlers.auth)
const batch = toNodeHandler(presence.handlers.batch)

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname
  const handler = path === '/auth' ? auth : path === '/batch' ? batch : null
  if (!handler) {
    res.statusCode = 404
    res.end()
    return
  }
  void handler(req, res)
})

server.listen(0, '127.0.0.1', () => {
  console.log(`LISTENING ${(server.address() as AddressInfo).port}`)
})
process.on('SIGTERM', () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
})
