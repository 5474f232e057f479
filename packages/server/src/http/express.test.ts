import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPresenceServer } from '../server.js'
import { ALICE, bearerSessions, form, pusher, signer } from '../server-fixture.js'
import { toExpress } from './express.js'

let rawSeen: unknown
const presence = createPresenceServer({
  signer,
  session: (request) => {
    rawSeen = request.raw
    return bearerSessions()(request)
  },
  channels: {
    'private-stream@{id}': () => true,
    'presence-room': ({ user }) => ({ user_id: user.userId }),
  },
})

let server: Server
let base: string

beforeAll(async () => {
  const app = express()
  app.post('/raw/auth', toExpress(presence.handlers.auth))
  app.all('/raw/batch', toExpress(presence.handlers.batch))
  app.post('/json/auth', express.json(), toExpress(presence.handlers.auth))
  app.post('/form/auth', express.urlencoded({ extended: false }), toExpress(presence.handlers.auth))
  app.post(
    '/form-ext/batch',
    express.urlencoded({ extended: true }),
    toExpress(presence.handlers.batch),
  )
  app.post('/text/auth', express.text({ type: '*/*' }), toExpress(presence.handlers.auth))
  app.post('/buffer/auth', express.raw({ type: '*/*' }), toExpress(presence.handlers.auth))
  const router = express.Router()
  router.post('/auth', toExpress(presence.handlers.auth))
  app.use('/mounted', router)
  await new Promise<void>((resolve) => {
    server = app.listen(0, '127.0.0.1', () => resolve())
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const formBody = form({ socket_id: '1.2', channel_name: 'private-stream@1' })
const expected = pusher.authorizeChannel('1.2', 'private-stream@1')

describe('toExpress over real HTTP', () => {
  it.each([
    ['/raw/auth', 'application/x-www-form-urlencoded', formBody],
    [
      '/raw/auth',
      'application/json',
      JSON.stringify({ socket_id: '1.2', channel_name: 'private-stream@1' }),
    ],
    [
      '/json/auth',
      'application/json',
      JSON.stringify({ socket_id: '1.2', channel_name: 'private-stream@1' }),
    ],
    ['/form/auth', 'application/x-www-form-urlencoded', formBody],
    ['/text/auth', 'application/x-www-form-urlencoded', formBody],
    ['/buffer/auth', 'application/x-www-form-urlencoded', formBody],
    ['/mounted/auth', 'application/x-www-form-urlencoded', formBody],
  ])('%s (%s) signs like pusher', async (path, contentType, body) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { ...ALICE, 'content-type': contentType },
      body,
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual(expected)
    expect(rawSeen).toHaveProperty('app')
  })

  it('serves batch by GET and by pusher-js-auth form after an extended urlencoded parser', async () => {
    const get = await fetch(
      `${base}/raw/batch?socket_id=1.2&channels=private-stream@1,presence-room`,
      { headers: ALICE },
    )
    expect(await get.json()).toEqual({
      'private-stream@1': expected,
      'presence-room': pusher.authorizeChannel('1.2', 'presence-room', {
        user_id: 'alice',
        user_info: {},
      }),
    })
    const posted = await fetch(`${base}/form-ext/batch`, {
      method: 'POST',
      headers: { ...ALICE, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'socket_id=1.2&channel_name[0]=private-stream%401&channel_name[1]=private-nope',
    })
    expect(await posted.json()).toEqual({
      'private-stream@1': { status: 200, data: expected },
      'private-nope': { status: 403, data: { error: { code: 'CHANNEL_UNKNOWN' } } },
    })
  })

  it('answers client mistakes with 4xx', async () => {
    const media = await fetch(`${base}/raw/auth`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'a,b',
    })
    expect(media.status).toBe(400)
    expect(await media.json()).toEqual({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } })
    const big = await fetch(`${base}/text/auth`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(70_000),
    })
    expect(big.status).toBe(413)
  })
})
