import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type SoketiServer, startSoketi } from '@presence/testing'
import express from 'express'
import PusherJs from 'pusher-js'
import PusherBatchAuthorizer from 'pusher-js-auth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toExpress } from './http/express.js'
import { createPresenceServer } from './server.js'
import { createSigner } from './signer/signer.js'

// The existing pusher-js-auth plugin (its own XHR, form channel_name[i], answers read
// as { [channel]: { status, data } }) against handlers.batch on a real soketi.

let soketi: SoketiServer
let server: Server
let endpoint: string
let batchRequests = 0
const clients: PusherJs[] = []

beforeAll(async () => {
  soketi = await startSoketi()
  const presence = createPresenceServer({
    signer: createSigner({ key: soketi.key, secret: soketi.secret }),
    session: (request) => {
      const header = request.headers.get('authorization')
      return header?.startsWith('Bearer ') ? { userId: header.slice(7) } : null
    },
    channels: {
      'private-goal@{id}': ({ params }) => params.id !== 'secret',
      'presence-chat@{id}': ({ user }) => ({ user_id: user.userId }),
    },
  })
  const app = express()
  app.post(
    '/pusher/batch',
    (_req, _res, next) => {
      batchRequests++
      next()
    },
    toExpress(presence.handlers.batch),
  )
  await new Promise<void>((resolve) => {
    server = app.listen(0, '127.0.0.1', () => resolve())
  })
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pusher/batch`
})

afterAll(async () => {
  for (const client of clients) client.disconnect()
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve))
  await soketi?.stop()
})

describe('pusher-js-auth dialect', () => {
  it('batches subscriptions into one form POST and fans the answers out', async () => {
    const client = new PusherJs(soketi.key, {
      ...soketi.pusherJsOptions,
      authEndpoint: endpoint,
      auth: { headers: { Authorization: 'Bearer ada' } },
      authorizer: PusherBatchAuthorizer,
    } as never)
    clients.push(client)
    await new Promise<void>((resolve) => client.connection.bind('connected', resolve))
    const names = ['private-goal@1', 'presence-chat@2', 'private-goal@secret']
    const before = batchRequests
    const results = await Promise.all(
      names.map(
        (name) =>
          new Promise<[string, boolean]>((resolve) => {
            const channel = client.subscribe(name)
            channel.bind('pusher:subscription_succeeded', () => resolve([name, true]))
            channel.bind('pusher:subscription_error', () => resolve([name, false]))
          }),
      ),
    )
    expect(Object.fromEntries(results)).toEqual({
      'private-goal@1': true,
      'presence-chat@2': true,
      'private-goal@secret': false,
    })
    expect(batchRequests - before).toBe(1)
  })
})
