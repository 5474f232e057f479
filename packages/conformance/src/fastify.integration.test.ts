import type { AddressInfo } from 'node:net'
import { toNodeHandler } from '@presence/server/node'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startKit, subscribe } from './framework-kit.js'

// Fastify through the documented bridge: a scope that leaves the body unread,
// and routes that hand the raw Node request/response to toNodeHandler.
let kit: Awaited<ReturnType<typeof startKit>>
let app: FastifyInstance
let base: string

beforeAll(async () => {
  kit = await startKit()
  const { handlers } = kit.presence
  app = Fastify()
  app.register(async (pusher) => {
    pusher.removeAllContentTypeParsers()
    pusher.addContentTypeParser('*', (_request, _body, done) => done(null)) // the handler reads the body
    const auth = toNodeHandler(handlers.auth)
    const batch = toNodeHandler(handlers.batch)
    pusher.post('/pusher/auth', (request, reply) => auth(request.raw, reply.hijack().raw))
    pusher.route({
      method: ['GET', 'POST'],
      url: '/pusher/batch',
      handler: (request, reply) => batch(request.raw, reply.hijack().raw),
    })
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await app?.close()
  await kit?.stop()
})

describe('Fastify: toNodeHandler behind reply.hijack(), over real HTTP', () => {
  it('pusher-js subscribes to presence and private channels on soketi through the Fastify route; JSON bodies and refusals pass intact', async () => {
    const ada = kit.connect(`${base}/pusher/auth`, 'ada')
    expect(await subscribe(ada, 'presence-room')).toBe('ok')
    expect(await subscribe(ada, 'private-stream@1')).toBe('ok')
    expect(await subscribe(ada, 'private-stream@closed')).toBe(403)

    const batch = await fetch(`${base}/pusher/batch`, {
      method: 'POST',
      headers: { authorization: 'Bearer ada', 'content-type': 'application/json' },
      body: JSON.stringify({
        socket_id: '1.2',
        channels: ['private-stream@1', 'private-stream@closed'],
      }),
    })
    expect(batch.status).toBe(200)
    const body = await batch.json()
    expect(body['private-stream@closed']).toEqual({ error: { code: 'STREAM_CLOSED', status: 403 } })
    expect(body['private-stream@1'].auth).toMatch(/^app-key:[0-9a-f]{64}$/)
  })
})
