import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPresenceServer } from '../server.js'
import { ALICE, bearerSessions, form, pusher, signer } from '../server-fixture.js'
import { toNodeHandler } from './node.js'

const rawSeen: unknown[] = []
const presence = createPresenceServer({
  signer,
  session: (request) => {
    rawSeen.push(request.raw)
    return bearerSessions()(request)
  },
  cors: ['chrome-extension://abcdefghijklmnop'],
  responseHeaders: { 'Accept-CH': 'DPR' },
  channels: { 'private-stream@{id}': () => true },
})
const auth = toNodeHandler(presence.handlers.auth)
const batch = toNodeHandler(presence.handlers.batch)
const plain = toNodeHandler(
  async (request) => new Response(`echo ${await request.text()}`, { status: 201 }),
)

let server: Server
let base: string

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith('/auth')) return void auth(req, res)
    if (req.url?.startsWith('/batch')) return void batch(req, res)
    return void plain(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

describe('toNodeHandler over real HTTP', () => {
  it('serves auth with the signature, response headers and the Node request as raw', async () => {
    const response = await fetch(`${base}/auth`, {
      method: 'POST',
      headers: { ...ALICE, 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ socket_id: '1.2', channel_name: 'private-stream@1' }),
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('accept-ch')).toBe('DPR')
    expect(await response.json()).toEqual(pusher.authorizeChannel('1.2', 'private-stream@1'))
    expect(rawSeen.at(-1)).toHaveProperty('socket')
  })

  it('serves batch GET and refusals', async () => {
    const response = await fetch(
      `${base}/batch?socket_id=1.2&channels=private-stream@1,private-x`,
      { headers: ALICE },
    )
    expect(await response.json()).toEqual({
      'private-stream@1': pusher.authorizeChannel('1.2', 'private-stream@1'),
      'private-x': { error: { code: 'CHANNEL_UNKNOWN', status: 403 } },
    })
    const anonymous = await fetch(`${base}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ socket_id: '1.2', channel_name: 'private-stream@1' }),
    })
    expect(anonymous.status).toBe(401)
  })

  it('answers CORS preflight', async () => {
    const response = await fetch(`${base}/auth`, {
      method: 'OPTIONS',
      headers: {
        origin: 'chrome-extension://abcdefghijklmnop',
        'access-control-request-method': 'POST',
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe(
      'chrome-extension://abcdefghijklmnop',
    )
  })

  it('refuses a body over the limit with 413, without reading it all', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${base}/auth`,
        { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        },
      )
      req.on('error', reject)
      req.write('socket_id=1.2&pad=')
      req.write('x'.repeat(70_000))
      req.end()
    })
    expect(status).toBe(413)
  })

  it('refuses a declared content-length over the limit at once', async () => {
    const response = await fetch(`${base}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(70_000) }),
    })
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE' } })
  })

  it('adapts any Fetch handler through Fetch objects', async () => {
    const response = await fetch(`${base}/other`, { method: 'POST', body: 'hi' })
    expect(response.status).toBe(201)
    expect(await response.text()).toBe('echo hi')
  })
})
