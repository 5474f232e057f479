/**
 * A slow request body is bounded by `limits.bodyTimeoutMs` in the Node and
 * Express adapters: 408 `REQUEST_TIMEOUT`, `Connection: close`, the
 * authorizer never runs.
 */
import { createServer, type Server } from 'node:http'
import { type AddressInfo, connect } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPresenceServer } from '../server.js'
import { bearerSessions, signer } from '../server-fixture.js'
import { toExpress } from './express.js'
import { toNodeHandler } from './node.js'

let calls = 0
const presence = createPresenceServer({
  signer,
  session: bearerSessions(),
  limits: { bodyTimeoutMs: 150 },
  channels: {
    'private-x': () => {
      calls++
      return true
    },
  },
})

const servers: Server[] = []
const ports: Record<string, number> = {}

async function listen(name: string, server: Server) {
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  ports[name] = (server.address() as AddressInfo).port
}

beforeAll(async () => {
  const auth = toNodeHandler(presence.handlers.auth)
  await listen(
    'node',
    createServer((req, res) => void auth(req, res)),
  )
  const app = express()
  app.post('/auth', toExpress(presence.handlers.auth))
  await listen('express', createServer(app))
})

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

/** Sends the headers and half the body, then nothing: resolves with the raw answer once the server closes. */
function slowBody(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let answer = ''
    socket.on('data', (chunk) => {
      answer += chunk.toString()
    })
    socket.on('close', () => resolve(answer))
    socket.on('error', reject)
    socket.write(
      'POST /auth HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer alice:acme\r\n' +
        'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nsocket_id=1.2&chan',
    )
  })
}

describe.each(['node', 'express'])('%s adapter: body deadline (limits.bodyTimeoutMs)', (name) => {
  it('answers 408 REQUEST_TIMEOUT and closes the connection when the body stalls', async () => {
    const answer = await slowBody(ports[name]!)
    expect(answer).toMatch(/^HTTP\/1\.1 408 /)
    expect(answer.toLowerCase()).toContain('connection: close')
    expect(answer).toContain('"code":"REQUEST_TIMEOUT"')
    expect(calls).toBe(0)
  }, 10_000)
})

describe('bodyTimeoutMs option', () => {
  it('is a positive integer', () => {
    expect(() =>
      createPresenceServer({
        signer,
        session: bearerSessions(),
        limits: { bodyTimeoutMs: 0 },
        channels: {},
      }),
    ).toThrowError(expect.objectContaining({ code: 'CONFIG_INVALID' }))
  })
})
