/**
 * Benchmark servers (not tests), one per child process, all doing the same
 * work per request: read the form body, resolve the session from the Bearer
 * header, check the channel, sign with the app secret, answer JSON.
 * `GET /__cpu` answers the process's user and system CPU time so far (µs).
 *
 * Usage: node --conditions=source --import tsx bench/http-server.ts <kind> <port>
 * kinds: node-adapter | node-hand | express-adapter | express-hand
 */
import { createServer } from 'node:http'
import express from 'express'
import Pusher from 'pusher'
import { toExpress } from '../src/http/express.js'
import { toNodeHandler } from '../src/http/node.js'
import { createPresenceServer } from '../src/server.js'
import type { Session } from '../src/session/types.js'
import { createSigner } from '../src/signer/signer.js'

const [kind, portText] = process.argv.slice(2)
const port = Number(portText)
const key = 'app-key'
const secret = 'app-secret-0123456789abcdef'
const pusher = new Pusher({ appId: '1', key, secret, cluster: 'mt1' })

function sessionOf(authorization: string | null | undefined): Session | null {
  return authorization?.startsWith('Bearer ') ? { userId: authorization.slice(7) } : null
}

const presence = createPresenceServer({
  signer: createSigner({ key, secret }),
  session: (request) => sessionOf(request.headers.get('authorization')),
  debug: false,
  channels: { 'private-stream@{id}': () => true },
})

function handRoute(socketId: unknown, channel: unknown, authorization: string | undefined) {
  if (sessionOf(authorization) === null)
    return { status: 401, body: { error: { code: 'UNAUTHENTICATED' } } }
  if (
    typeof socketId !== 'string' ||
    typeof channel !== 'string' ||
    !channel.startsWith('private-stream@')
  ) {
    return { status: 403, body: { error: { code: 'FORBIDDEN' } } }
  }
  try {
    return { status: 200, body: pusher.authorizeChannel(socketId, channel) }
  } catch {
    return { status: 400, body: { error: { code: 'BAD_REQUEST' } } }
  }
}

/** CPU time used by this process so far, `user system` in microseconds (read by the bench between runs). */
function cpuMicros(): string {
  const { user, system } = process.cpuUsage()
  return `${user} ${system}`
}

async function handRouteAsync(
  socketId: unknown,
  channel: unknown,
  authorization: string | undefined,
) {
  const session = await Promise.resolve(sessionOf(authorization))
  return session === null
    ? handRoute(socketId, channel, undefined)
    : handRoute(socketId, channel, authorization)
}

if (kind === 'node-adapter' || kind === 'node-hand') {
  const adapter = toNodeHandler(presence.handlers.auth)
  createServer((req, res) => {
    if (req.url === '/__cpu') return void res.end(cpuMicros())
    if (kind === 'node-adapter') return void adapter(req, res)
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => {
      body += chunk
    })
    req.on('end', async () => {
      const form = new URLSearchParams(body)
      // A real route awaits its session store (NextAuth, better-auth, a JWT verify):
      // the hand route awaits its lookup like the adapter awaits the session adapter.
      const answer = await handRouteAsync(
        form.get('socket_id'),
        form.get('channel_name'),
        req.headers.authorization,
      )
      const json = JSON.stringify(answer.body)
      res.writeHead(answer.status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(json),
      })
      res.end(json)
    })
  }).listen(port, '127.0.0.1', () => console.log('ready'))
} else {
  const app = express()
  app.get('/__cpu', (_req, res) => {
    res.send(cpuMicros())
  })
  if (kind === 'express-adapter') app.post('/auth', toExpress(presence.handlers.auth))
  else {
    app.post('/auth', express.urlencoded({ extended: false }), async (req, res) => {
      const body = req.body as Record<string, unknown>
      const answer = await handRouteAsync(
        body.socket_id,
        body.channel_name,
        req.headers.authorization,
      )
      res.status(answer.status).json(answer.body)
    })
  }
  app.listen(port, '127.0.0.1', () => console.log('ready'))
}
