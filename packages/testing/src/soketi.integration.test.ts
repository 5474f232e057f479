import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Pusher from 'pusher'
import PusherJs from 'pusher-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from './ports.js'
import { type SoketiServer, startSoketi } from './soketi.js'

// Foundation proof (issue 2): pusher-js (Node build) subscribes to a private and a presence
// channel on a real soketi, authorized by a tiny route using the `pusher` package's
// authorizeChannel, and receives an event sent with pusher.trigger.

let soketi: SoketiServer
let route: Server
let routeUrl: string
let pusher: Pusher

beforeAll(async () => {
  soketi = await startSoketi()
  pusher = new Pusher(soketi.pusherOptions)
  route = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => {
      body += c
    })
    req.on('end', () => {
      const form = new URLSearchParams(body)
      const socketId = form.get('socket_id') ?? ''
      const channel = form.get('channel_name') ?? ''
      const auth = channel.startsWith('presence-')
        ? pusher.authorizeChannel(socketId, channel, {
            user_id: `user-${socketId}`,
            user_info: { name: 'Ada' },
          })
        : pusher.authorizeChannel(socketId, channel)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(auth))
    })
  })
  await new Promise<void>((resolve) => route.listen(0, '127.0.0.1', resolve))
  routeUrl = `http://127.0.0.1:${(route.address() as AddressInfo).port}/auth`
})

afterAll(async () => {
  await new Promise((resolve) => route?.close(resolve))
  await soketi?.stop()
})

function connect() {
  return new PusherJs(soketi.key, {
    ...soketi.pusherJsOptions,
    channelAuthorization: { endpoint: routeUrl, transport: 'ajax' },
  })
}

describe('soketi test server', () => {
  it('serves pusher-js private and presence channels authorized with pusher.authorizeChannel', async () => {
    const a = connect()
    const b = connect()
    try {
      const priv = a.subscribe('private-orders')
      const presA = a.subscribe('presence-room')
      const presB = b.subscribe('presence-room')
      const ok = (ch: { bind: (e: string, f: (data: unknown) => void) => void }) =>
        new Promise<void>((resolve, reject) => {
          ch.bind('pusher:subscription_succeeded', () => resolve())
          ch.bind('pusher:subscription_error', (e: unknown) => reject(new Error(JSON.stringify(e))))
        })
      await Promise.all([ok(priv), ok(presA), ok(presB)])

      const received = new Promise<unknown>((resolve) => priv.bind('order.created', resolve))
      await pusher.trigger('private-orders', 'order.created', { id: 7 })
      expect(await received).toEqual({ id: 7 })

      await waitFor(
        () => (presA as unknown as { members: { count: number } }).members.count === 2,
        {
          what: 'both members in presence-room',
        },
      )
    } finally {
      a.disconnect()
      b.disconnect()
    }
  })

  it('stops and frees its port', async () => {
    const other = await startSoketi()
    await other.stop()
    await expect(fetch(`${other.httpUrl}/`)).rejects.toThrow()
  })
})
