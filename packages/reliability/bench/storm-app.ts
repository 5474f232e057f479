/**
 * One app instance of the reconnect storm, in its own process: a plain
 * `http` server with `@presence/server`'s `handlers.auth` (pusher-js's
 * default authorizer) and `handlers.batch` (`@presence/client`). Its session
 * adapter reads `Authorization: Bearer <user>` after a 5 ms wait (a session
 * store lookup). It records every auth request (arrival time on the wall
 * clock, duration, channels) and answers `GET /stats` with them.
 *
 * argv: `<soketi key> <soketi secret>`; prints `ready <port>`.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createPresenceServer, createSigner } from '@presence/server'
import { toNodeHandler } from '@presence/server/node'

const [key = 'app-key', secret = 'app-secret'] = process.argv.slice(2)
const SESSION_MS = 5
const now = () => performance.timeOrigin + performance.now()

let sessions = 0
/** [arrival (epoch ms), duration (ms), channels, HTTP status] */
let requests: Array<[number, number, number, number]> = []

const presence = createPresenceServer({
  signer: createSigner({ key, secret }),
  session: async (r) => {
    sessions++
    await new Promise((resolve) => setTimeout(resolve, SESSION_MS))
    const auth = r.headers.get('authorization')
    return auth?.startsWith('Bearer ') ? { userId: auth.slice(7) } : null
  },
  debug: false,
  channels: {
    'private-item@{id}': () => true,
    'presence-room@{id}': ({ user }) => ({ user_id: user.userId, user_info: {} }),
  },
})
const auth = toNodeHandler(presence.handlers.auth)
const batch = toNodeHandler(presence.handlers.batch)

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0]
  if (path === '/stats') {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ sessions, requests }))
    return
  }
  if (path === '/reset') {
    sessions = 0
    requests = []
    res.end()
    return
  }
  const start = now()
  let channels = 1
  if (path === '/batch') {
    // count the channels of the batch from the JSON body the handler reads too
    req.on('data', (chunk: Buffer) => {
      channels = (chunk.toString().match(/"(private|presence)-/g) ?? []).length || channels
    })
  }
  res.on('finish', () => requests.push([start, now() - start, channels, res.statusCode]))
  void (path === '/batch' ? batch : auth)(req, res)
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`)
})
process.on('SIGTERM', () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
})
