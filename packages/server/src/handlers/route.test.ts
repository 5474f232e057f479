import { describe, expect, it } from 'vitest'
import { createPresenceServer } from '../server.js'
import { ALICE, bearerSessions, form, post, signer } from '../server-fixture.js'

// `presence.handler`: one Fetch handler for every endpoint, dispatched on the path's last
// segment, answering exactly what the per-endpoint handlers answer.
const presence = createPresenceServer({
  signer,
  session: bearerSessions(),
  channels: {
    'private-doc@{docId}': () => true,
    'presence-room@{roomId}': ({ user }) => ({ user_id: user.userId }),
  },
  cors: ['https://app.example'],
})

const body = async (response: Response) => [response.status, await response.json()]

describe('presence.handler', () => {
  it('answers …/auth as handlers.auth does', async () => {
    const request = () =>
      post('/api/pusher/auth', form({ socket_id: '1.2', channel_name: 'private-doc@1' }), ALICE)
    const routed = await body(await presence.handler(request()))
    expect(routed[0]).toBe(200)
    expect(routed).toEqual(await body(await presence.handlers.auth(request())))
  })

  it('answers …/batch for POST and GET, as handlers.batch does', async () => {
    const json = () =>
      post(
        '/api/pusher/batch',
        { socket_id: '1.2', channels: ['private-doc@1', 'presence-room@2'] },
        ALICE,
      )
    const routed = await body(await presence.handler(json()))
    expect(Object.keys(routed[1] as object)).toEqual(['private-doc@1', 'presence-room@2'])
    expect(routed).toEqual(await body(await presence.handlers.batch(json())))
    const get = await presence.handler(
      new Request('http://app.test/api/pusher/batch/?socket_id=1.2&channels=private-doc@1', {
        headers: ALICE,
      }),
    )
    expect(get.status).toBe(200)
    expect(Object.keys(await get.json())).toEqual(['private-doc@1'])
  })

  it('answers …/user-auth and …/webhook', async () => {
    const user = await presence.handler(
      post('/pusher/user-auth', form({ socket_id: '1.2' }), ALICE),
    )
    expect(user.status).toBe(200)
    expect(await user.json()).toHaveProperty('user_data')
    const webhook = await presence.handler(post('/pusher/webhook', { events: [] }))
    expect(await body(webhook)).toEqual([401, { error: { code: 'WEBHOOK_SIGNATURE_INVALID' } }])
  })

  it('keeps each endpoint’s methods, and answers a preflight with CORS', async () => {
    const get = await presence.handler(new Request('http://app.test/api/pusher/auth'))
    expect(get.status).toBe(405)
    const preflight = await presence.handler(
      new Request('http://app.test/api/pusher/batch', {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
      }),
    )
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example')
  })

  it('refuses any other path with 404 NOT_FOUND, signing nothing', async () => {
    for (const path of ['/api/pusher', '/api/pusher/authx', '/api/pusher/auth/extra']) {
      const response = await presence.handler(
        post(path, form({ socket_id: '1.2', channel_name: 'private-doc@1' }), ALICE),
      )
      expect(await body(response)).toEqual([404, { error: { code: 'NOT_FOUND' } }])
    }
  })
})
