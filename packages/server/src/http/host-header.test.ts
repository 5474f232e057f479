import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPresenceServer } from '../server.js'
import { ALICE, bearerSessions, form, pusher, signer } from '../server-fixture.js'
import { toExpress } from './express.js'
import { toNodeHandler } from './node.js'

// The Node and Express adapters built the request URL from the Host header, and
// presence.handler routed on that URL's path: `Host: app.test/user-auth?` made a route mounted
// only for …/auth answer user-auth with a signed user_data. Routing and parsing must use the
// request's own path and query.

const presence = createPresenceServer({
  signer,
  session: bearerSessions(),
  channels: { 'private-stream@{id}': () => true },
})

let nodeServer: Server
let expressServer: Server
const ports: Record<'node' | 'express', number> = { node: 0, express: 0 }

beforeAll(async () => {
  const handler = toNodeHandler(presence.handler)
  // Only …/auth is mounted: user-auth, batch and webhook must stay unreachable.
  nodeServer = createServer((req, res) => {
    if (req.url?.split('?')[0] === '/pusher/auth') return void handler(req, res)
    res.writeHead(404).end()
  })
  const app = express()
  app.post('/pusher/auth', toExpress(presence.handler))
  expressServer = createServer(app)
  for (const [name, server] of [
    ['node', nodeServer],
    ['express', expressServer],
  ] as const) {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    ports[name] = (server.address() as AddressInfo).port
  }
})

afterAll(async () => {
  for (const server of [nodeServer, expressServer]) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

/** A raw request with a Host header of our choosing (fetch does not let one set Host). */
function send(
  port: number,
  options: { path: string; host: string; method?: string; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'POST',
        path: options.path,
        setHost: false,
        headers: {
          host: options.host,
          ...ALICE,
          'content-type': 'application/x-www-form-urlencoded',
          ...(options.body === undefined
            ? {}
            : { 'content-length': String(Buffer.byteLength(options.body)) }),
        },
      },
      (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => {
          body += chunk
        })
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
      },
    )
    request.on('error', reject)
    request.end(options.body)
  })
}

describe.each(['node', 'express'] as const)('presence.handler behind %s', (adapter) => {
  const body = form({ socket_id: '1.2', channel_name: 'private-stream@1' })

  it('answers …/auth as auth whatever the Host header says', async () => {
    for (const host of [
      'app.test/user-auth?',
      'app.test/user-auth#',
      'app.test/batch?socket_id=1.2&channels=private-stream@1#',
      'app.test/webhook?',
    ]) {
      const answer = await send(ports[adapter], { path: '/pusher/auth', host, body })
      expect(answer.status, host).toBe(200)
      expect(JSON.parse(answer.body), host).toEqual(
        pusher.authorizeChannel('1.2', 'private-stream@1'),
      )
      expect(answer.body, host).not.toContain('user_data')
    }
  })

  it('still serves an ordinary Host (with a port) and an absolute-form request target', async () => {
    const port = ports[adapter]
    const plain = await send(port, { path: '/pusher/auth', host: `127.0.0.1:${port}`, body })
    expect(plain.status).toBe(200)
    const absolute = await send(port, {
      path: `http://app.test/pusher/auth`,
      host: 'app.test/user-auth?',
      body,
    })
    expect(absolute.body).not.toContain('user_data')
  })
})
