import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startKit, subscribe } from './framework-kit.js'

// Hono takes the Fetch handlers as they are: `c.req.raw` is the Fetch Request.
let kit: Awaited<ReturnType<typeof startKit>>
let server: ReturnType<typeof serve>
let base: string

beforeAll(async () => {
  kit = await startKit()
  const { handlers } = kit.presence
  const app = new Hono()
  app.post('/pusher/auth', (c) => handlers.auth(c.req.raw))
  app.on(['GET', 'POST'], '/pusher/batch', (c) => handlers.batch(c.req.raw))
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve())
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve))
  await kit?.stop()
})

describe('Hono: the Fetch handlers mounted as routes, over real HTTP', () => {
  it('pusher-js subscribes to presence and private channels on soketi through the Hono route; refusals keep their code', async () => {
    const ada = kit.connect(`${base}/pusher/auth`, 'ada')
    expect(await subscribe(ada, 'presence-room')).toBe('ok')
    expect(await subscribe(ada, 'private-stream@1')).toBe('ok')
    expect(await subscribe(ada, 'private-stream@closed')).toBe(403)

    const batch = await fetch(
      `${base}/pusher/batch?socket_id=1.2&channels=private-stream@1,private-stream@closed`,
      {
        headers: { authorization: 'Bearer ada' },
      },
    )
    expect(batch.status).toBe(200)
    const body = await batch.json()
    expect(body['private-stream@closed']).toEqual({ error: { code: 'STREAM_CLOSED', status: 403 } })
    expect(body['private-stream@1'].auth).toMatch(/^app-key:[0-9a-f]{64}$/)
  })
})
