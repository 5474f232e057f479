import { createHmac } from 'node:crypto'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toExpress } from '../http/express.js'
import { createPresenceServer } from '../server.js'
import { createSigner } from '../signer/signer.js'

// A parsed body cannot be verified: the webhook handler says so (WEBHOOK_BODY_PARSED)
// instead of answering a misleading 401, and tells how to mount the route.

const signer = createSigner({ key: 'k', secret: 's' })
// One delivery per route (a delivery is handled once: the same body twice is a duplicate).
const bodyFor = (channel: string) =>
  JSON.stringify({ time_ms: Date.now(), events: [{ name: 'channel_vacated', channel }] })

let server: Server
let base: string
const vacated: string[] = []

beforeAll(async () => {
  const presence = createPresenceServer({
    signer,
    session: () => null,
    channels: { 'private-a': () => true },
    debug: true,
    webhooks: { channel_vacated: ({ channel }) => void vacated.push(channel) },
  })
  const webhook = toExpress(presence.handlers.webhook)
  const app = express()
  app.post('/no-parser', webhook)
  app.post('/raw', express.raw({ type: 'application/json' }), webhook)
  app.post('/text', express.text({ type: 'application/json' }), webhook)
  app.post('/json', express.json(), webhook)
  server = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

const deliver = (path: string, body = bodyFor(`private-${path.slice(1)}`)) =>
  fetch(base + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-pusher-key': 'k',
      'x-pusher-signature': createHmac('sha256', 's').update(body).digest('hex'),
    },
    body,
  })

describe('handlers.webhook behind Express', () => {
  it('verifies the raw body without a parser, with express.raw() and with express.text()', async () => {
    for (const path of ['/no-parser', '/raw', '/text']) {
      const response = await deliver(path)
      expect(response.status, path).toBe(200)
    }
    expect(vacated).toEqual(['private-no-parser', 'private-raw', 'private-text'])
  })

  it('answers WEBHOOK_BODY_PARSED, naming the fix, when express.json() ran first', async () => {
    const response = await deliver('/json')
    expect(response.status).toBe(500)
    const { error } = (await response.json()) as { error: { code: string; message: string } }
    expect(error.code).toBe('WEBHOOK_BODY_PARSED')
    expect(error.message).toMatch(/express\.raw/)
  })
})
