/**
 * One HTTP server of the adapter benchmark, in its own process so the load
 * generator does not share its event loop. `argv[2]` picks the server:
 *
 * - `presence-node`: `createPresenceServer` + `toNodeHandler`
 * - `pusher-node`: a hand-written plain `http` route using `pusher.authorizeChannel`
 * - `presence-express`: Express 5 + `toExpress`
 * - `pusher-express`: a hand-written Express 5 route (`express.urlencoded`) using `pusher`
 *
 * Every server does the same work: read the form body, take the user from
 * `Authorization: Bearer <user>`, allow `private-doc-<user>-…`, sign. Any IPC
 * message is answered with the process's CPU time so far.
 */
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createPresenceServer, createSigner } from '@presence/server'
import { toExpress } from '@presence/server/express'
import { toNodeHandler } from '@presence/server/node'
import express from 'express'
import Pusher from 'pusher'

const key = 'app-key'
const secret = 'app-secret'
const pusher = new Pusher({ appId: '1', key, secret, cluster: 'mt1' })

function userOf(header: string | null | undefined): string | null {
  return header?.startsWith('Bearer ') ? header.slice(7) || null : null
}
const allowed = (user: string, channel: string) => channel.startsWith(`private-doc-${user}-`)

const presence = createPresenceServer({
  signer: createSigner({ key, secret }),
  session: (r) => {
    const userId = userOf(r.headers.get('authorization'))
    return userId ? { userId } : null
  },
  debug: false,
  channels: { 'private-doc-{id}': ({ user, channel }) => allowed(user.userId, channel.name) },
})

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => {
      body += c
    })
    req.on('end', () => resolve(body))
    req.on('error', reject)
  })
}

const kind = process.argv[2]
let server: ReturnType<typeof createServer>
if (kind === 'presence-node') {
  const auth = toNodeHandler(presence.handlers.auth)
  server = createServer((req, res) => void auth(req, res))
} else if (kind === 'pusher-node') {
  server = createServer(async (req, res) => {
    const form = new URLSearchParams(await readBody(req))
    const user = userOf(req.headers.authorization)
    const socketId = form.get('socket_id')
    const channel = form.get('channel_name')
    res.setHeader('content-type', 'application/json')
    if (!user) return void res.writeHead(401).end('{"error":"unauthenticated"}')
    if (!socketId || !channel) return void res.writeHead(400).end('{"error":"bad request"}')
    if (!allowed(user, channel)) return void res.writeHead(403).end('{"error":"forbidden"}')
    res.end(JSON.stringify(pusher.authorizeChannel(socketId, channel)))
  })
} else if (kind === 'presence-express') {
  const app = express()
  app.post('/auth', toExpress(presence.handlers.auth))
  server = createServer(app)
} else if (kind === 'pusher-express') {
  const app = express()
  app.post('/auth', express.urlencoded({ extended: false }), (req, res) => {
    const user = userOf(req.headers.authorization)
    const { socket_id: socketId, channel_name: channel } = (req.body ?? {}) as Record<
      string,
      string | undefined
    >
    if (!user) return void res.status(401).json({ error: 'unauthenticated' })
    if (!socketId || !channel) return void res.status(400).json({ error: 'bad request' })
    if (!allowed(user, channel)) return void res.status(403).json({ error: 'forbidden' })
    res.json(pusher.authorizeChannel(socketId, channel))
  })
  server = createServer(app)
} else {
  throw new Error(`unknown server kind ${kind}`)
}
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
// The bench asks for this process's CPU time (µs, user + system) around each run: CPU per
// request is far less sensitive to other processes on a busy machine than req/s.
process.on('message', () => {
  const { user, system } = process.cpuUsage()
  process.send?.({ cpuMicros: user + system })
})
