import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import Pusher from 'pusher-js'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createAuthorizer } from './authorizer.js'
import { batchUrlOf } from './endpoints.js'
import { PresenceClientError } from './errors.js'
import { createPresenceClient } from './index.js'
import type { AuthOptions } from './options.js'

describe('batchUrlOf: where batches go', () => {
  it.each([
    // The mount path of presence.handler: batches to its /batch path.
    [{ endpoint: '/api/pusher' }, '/api/pusher/batch'],
    [{ endpoint: '/api/pusher/' }, '/api/pusher/batch'],
    [{ endpoint: 'https://api.example.com/pusher' }, 'https://api.example.com/pusher/batch'],
    [{ endpoint: 'https://api.example.com' }, 'https://api.example.com/batch'],
    [{ endpoint: '/api/pusher?tenant=a' }, '/api/pusher/batch?tenant=a'],
    [{ endpoint: '/api/pusher/?tenant=a#x' }, '/api/pusher/batch?tenant=a#x'],
    // A single-channel endpoint (path ends in /auth): no batching.
    [{ endpoint: '/api/pusher/auth' }, undefined],
    [{ endpoint: '/broadcasting/auth' }, undefined],
    [{ endpoint: 'http://127.0.0.1:3001/pusher/auth?x=1' }, undefined],
    [{ endpoint: '/auth/' }, undefined],
    // Not /auth: "user-auth" and "oauth" are other paths.
    [{ endpoint: '/api/oauth' }, '/api/oauth/batch'],
    // Explicit settings win.
    [{ endpoint: '/api/pusher/auth', batchEndpoint: '/api/pusher/batch' }, '/api/pusher/batch'],
    [{ endpoint: '/api/pusher', batchEndpoint: '/elsewhere' }, '/elsewhere'],
    [{ endpoint: '/channel-auth', batchEndpoint: false }, undefined],
  ] as [AuthOptions, string | undefined][])('%o → %s', (auth, expected) => {
    expect(batchUrlOf(auth)).toBe(expected)
  })

  it.each([
    [undefined, 'auth.endpoint'],
    [{}, 'auth.endpoint'],
    [{ endpoint: '' }, 'auth.endpoint'],
    [{ endpoint: 42 }, 'auth.endpoint'],
    [{ endpoint: '/api/pusher', batchEndpoint: '' }, 'auth.batchEndpoint'],
    [{ endpoint: '/api/pusher', batchEndpoint: true }, 'auth.batchEndpoint'],
    [{ endpoint: '/api/pusher', batchEndpoint: null }, 'auth.batchEndpoint'],
  ])('refuses %o with INVALID_OPTIONS naming %s', (auth, field) => {
    let thrown: unknown
    try {
      batchUrlOf(auth as AuthOptions)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(PresenceClientError)
    expect(thrown).toMatchObject({ code: 'INVALID_OPTIONS', field })
    expect((thrown as Error).message).toContain(field)
  })

  it('refuses unusable auth options before creating a pusher-js instance', () => {
    const before = Pusher.instances.length
    expect(() =>
      createPresenceClient({
        pusher: { key: 'app-key', cluster: 'local', wsHost: '127.0.0.1', wsPort: 9 },
        auth: { endpoint: '' },
      }),
    ).toThrow(PresenceClientError)
    expect(Pusher.instances.length).toBe(before)
  })
})

describe('requests sent for each kind of endpoint', () => {
  const BASE = 'http://auth.test'
  const server = setupServer()
  const seen: { url: string; type: string | null; body: string }[] = []
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    server.resetHandlers()
    seen.length = 0
  })
  afterAll(() => server.close())

  const record = (path: string) =>
    server.use(
      http.post(`${BASE}${path}`, async ({ request }) => {
        const body = await request.text()
        seen.push({ url: request.url, type: request.headers.get('content-type'), body })
        const names = path.endsWith('/batch')
          ? (JSON.parse(body) as { channels: string[] }).channels
          : [new URLSearchParams(body).get('channel_name') as string]
        const answers = names.map((name) => [name, { auth: `app-key:sig-${name}` }])
        return HttpResponse.json(
          path.endsWith('/batch') ? Object.fromEntries(answers) : answers[0]?.[1],
        )
      }),
    )

  const authorizeAll = (auth: AuthOptions, names: string[]) => {
    const handler = createAuthorizer(auth, () => 'deliver')
    return Promise.all(
      names.map(
        (channelName) =>
          new Promise<unknown>((resolve) =>
            handler({ socketId: '1.1', channelName }, (error, data) => resolve(error ?? data)),
          ),
      ),
    )
  }

  it("endpoint '/api/pusher' alone: one JSON batch to /api/pusher/batch", async () => {
    record('/api/pusher/batch')
    const results = await authorizeAll({ endpoint: `${BASE}/api/pusher` }, [
      'private-a',
      'private-b',
      'private-c',
    ])
    expect(seen).toEqual([
      {
        url: `${BASE}/api/pusher/batch`,
        type: 'application/json',
        body: JSON.stringify({
          socket_id: '1.1',
          channels: ['private-a', 'private-b', 'private-c'],
        }),
      },
    ])
    expect(results).toEqual([
      { auth: 'app-key:sig-private-a' },
      { auth: 'app-key:sig-private-b' },
      { auth: 'app-key:sig-private-c' },
    ])
  })

  it("endpoint '/broadcasting/auth': one pusher-js form POST per channel", async () => {
    record('/broadcasting/auth')
    const results = await authorizeAll({ endpoint: `${BASE}/broadcasting/auth` }, [
      'private-a',
      'private-b',
    ])
    expect(seen.map((s) => [s.url, s.type, s.body])).toEqual([
      [
        `${BASE}/broadcasting/auth`,
        'application/x-www-form-urlencoded',
        'socket_id=1.1&channel_name=private-a',
      ],
      [
        `${BASE}/broadcasting/auth`,
        'application/x-www-form-urlencoded',
        'socket_id=1.1&channel_name=private-b',
      ],
    ])
    expect(results).toEqual([{ auth: 'app-key:sig-private-a' }, { auth: 'app-key:sig-private-b' }])
  })

  it('batchEndpoint: false sends form POSTs to an endpoint whose path does not end in /auth', async () => {
    record('/channel-auth')
    await authorizeAll({ endpoint: `${BASE}/channel-auth`, batchEndpoint: false }, ['private-a'])
    expect(seen.map((s) => [s.url, s.type])).toEqual([
      [`${BASE}/channel-auth`, 'application/x-www-form-urlencoded'],
    ])
  })
})
