import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import type { ChannelAuthorizationHandler } from 'pusher-js'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AuthOutcome, AuthPayload } from './auth-response.js'
import { createAuthorizer } from './authorizer.js'
import { PresenceClientError } from './errors.js'
import type { AuthOptions } from './options.js'

const BASE = 'http://auth.test'
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

interface Seen {
  url: string
  headers: Headers
  body: string
}

/** Records every request and answers like @presence/server's batch handler. */
function batchServer(answer: (channel: string) => unknown = (c) => signed(c)) {
  const seen: Seen[] = []
  server.use(
    http.post(`${BASE}/batch`, async ({ request }) => {
      const body = await request.text()
      seen.push({ url: request.url, headers: request.headers, body })
      const { channels } = JSON.parse(body) as { channels: string[] }
      return HttpResponse.json(Object.fromEntries(channels.map((c) => [c, answer(c)])))
    }),
  )
  return seen
}

function signed(channel: string): Record<string, unknown> {
  const out: Record<string, unknown> = { auth: `key:sig-${channel}` }
  if (channel.startsWith('presence-')) out.channel_data = '{"user_id":"u1"}'
  if (channel.startsWith('private-encrypted-')) out.shared_secret = 'c2VjcmV0'
  return out
}

interface Result {
  error: PresenceClientError | null
  data: AuthPayload | null
}

function authorize(handler: ChannelAuthorizationHandler, channelName: string, socketId = '1.1') {
  return new Promise<Result>((resolve) =>
    handler({ socketId, channelName }, (error, data) =>
      resolve({ error: error as PresenceClientError | null, data }),
    ),
  )
}

const deliver = () => 'deliver' as const

const options = (extra: Partial<AuthOptions> = {}): AuthOptions => ({
  endpoint: `${BASE}/auth`,
  batchEndpoint: `${BASE}/batch`,
  ...extra,
})

describe('batching', () => {
  it('sends the channels asked for within the window as one request and fans the results out', async () => {
    const seen = batchServer((c) =>
      c === 'private-no' ? { error: { code: 'CHANNEL_FORBIDDEN', status: 403 } } : signed(c),
    )
    const handler = createAuthorizer(options(), deliver)
    const results = await Promise.all(
      ['private-a', 'presence-b', 'private-no'].map((c) => authorize(handler, c)),
    )
    expect(seen).toHaveLength(1)
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({
      socket_id: '1.1',
      channels: ['private-a', 'presence-b', 'private-no'],
    })
    expect(seen[0]?.headers.get('content-type')).toBe('application/json')
    expect(results[0]).toEqual({ error: null, data: { auth: 'key:sig-private-a' } })
    expect(results[1]?.data).toEqual({
      auth: 'key:sig-presence-b',
      channel_data: '{"user_id":"u1"}',
    })
    expect(results[2]?.data).toBeNull()
    expect(results[2]?.error).toBeInstanceOf(PresenceClientError)
    expect(results[2]?.error).toMatchObject({
      code: 'CHANNEL_FORBIDDEN',
      status: 403,
      channel: 'private-no',
    })
  })

  it('sends the channels of one task at the end of that task, before any timer', async () => {
    const seen = batchServer()
    const sentAt: boolean[] = []
    let timerFired = false
    const handler = createAuthorizer(
      options({
        fetch: (input, init) => {
          sentAt.push(timerFired)
          return fetch(input, init)
        },
      }),
      deliver,
    )
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        timerFired = true
        resolve()
      }, 0),
    )
    const pending = ['private-1', 'private-2', 'private-3'].map((c) => authorize(handler, c))
    await Promise.all([...pending, timer])
    // sent before a 0 ms timer started in the same task fired: no window to wait for
    expect(sentAt).toEqual([false])
    expect(JSON.parse(seen[0]?.body ?? '').channels).toEqual([
      'private-1',
      'private-2',
      'private-3',
    ])
  })

  it('coalesces the channels asked for while a batch is in flight into the next request', async () => {
    const seen: string[][] = []
    let release = () => {}
    const firstAnswered = new Promise<void>((resolve) => {
      release = resolve
    })
    server.use(
      http.post(`${BASE}/batch`, async ({ request }) => {
        const { channels } = (await request.json()) as { channels: string[] }
        seen.push(channels)
        if (seen.length === 1) await firstAnswered
        return HttpResponse.json(Object.fromEntries(channels.map((c) => [c, signed(c)])))
      }),
    )
    const handler = createAuthorizer(options(), deliver)
    const first = authorize(handler, 'private-1')
    await vi.waitFor(() => expect(seen).toHaveLength(1))
    // three later tasks, while the first batch waits for its answer
    const later: Promise<Result>[] = []
    for (const channel of ['private-2', 'private-3', 'private-4']) {
      await new Promise((resolve) => setTimeout(resolve, 5))
      later.push(authorize(handler, channel))
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(seen).toHaveLength(1)
    release()
    const results = await Promise.all([first, ...later])
    expect(results.every((result) => result.data !== null)).toBe(true)
    expect(seen).toEqual([['private-1'], ['private-2', 'private-3', 'private-4']])
  })

  it('holds channels behind a batch in flight for at most a second, so a request that never answers holds nothing', async () => {
    const seen: string[][] = []
    server.use(
      http.post(`${BASE}/batch`, async ({ request }) => {
        const { channels } = (await request.json()) as { channels: string[] }
        seen.push(channels)
        // the first request never answers
        if (seen.length === 1) await new Promise(() => {})
        return HttpResponse.json(Object.fromEntries(channels.map((c) => [c, signed(c)])))
      }),
    )
    const handler = createAuthorizer(options(), deliver)
    void authorize(handler, 'private-stuck')
    await vi.waitFor(() => expect(seen).toHaveLength(1))
    const startedAt = Date.now()
    const later = await authorize(handler, 'private-later')
    expect(later.data).not.toBeNull()
    expect(seen).toEqual([['private-stuck'], ['private-later']])
    // it waited for the stuck answer (coalescing), then went alone
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900)
  })

  it('does not hold a new socket id behind a batch in flight for an old one', async () => {
    const seen: { socket_id: string; channels: string[] }[] = []
    let release = () => {}
    const oldAnswered = new Promise<void>((resolve) => {
      release = resolve
    })
    server.use(
      http.post(`${BASE}/batch`, async ({ request }) => {
        const body = (await request.json()) as { socket_id: string; channels: string[] }
        seen.push(body)
        if (body.socket_id === '1.1') await oldAnswered
        return HttpResponse.json(Object.fromEntries(body.channels.map((c) => [c, signed(c)])))
      }),
    )
    const handler = createAuthorizer(options(), deliver)
    const old = authorize(handler, 'private-a', '1.1')
    await vi.waitFor(() => expect(seen).toHaveLength(1))
    // the reconnect's resubscribe burst: one task, one request, not waiting for the old socket
    const burst = ['private-a', 'private-b'].map((c) => authorize(handler, c, '2.2'))
    const results = await Promise.all(burst)
    expect(results.every((result) => result.data !== null)).toBe(true)
    expect(seen).toEqual([
      { socket_id: '1.1', channels: ['private-a'] },
      { socket_id: '2.2', channels: ['private-a', 'private-b'] },
    ])
    release()
    await old
  })

  it('waits batchWindowMs: channels asked for after the window go in a second request', async () => {
    const seen = batchServer()
    const handler = createAuthorizer(options({ batchWindowMs: 20 }), deliver)
    const first = authorize(handler, 'private-1')
    await new Promise((r) => setTimeout(r, 5))
    const second = authorize(handler, 'private-2')
    await Promise.all([first, second])
    const third = authorize(handler, 'private-3')
    await third
    expect(seen.map((s) => JSON.parse(s.body).channels)).toEqual([
      ['private-1', 'private-2'],
      ['private-3'],
    ])
  })

  it('splits a burst at maxBatch, sending a full batch without waiting for the window', async () => {
    const seen = batchServer()
    const handler = createAuthorizer(options({ maxBatch: 2, batchWindowMs: 10_000 }), deliver)
    const pending = ['private-1', 'private-2', 'private-3', 'private-4'].map((c) =>
      authorize(handler, c),
    )
    const results = await Promise.all(pending)
    expect(results.every((r) => r.data !== null)).toBe(true)
    expect(seen.map((s) => JSON.parse(s.body).channels)).toEqual([
      ['private-1', 'private-2'],
      ['private-3', 'private-4'],
    ])
  })

  it('asks once for a channel requested twice in one window and answers both callers', async () => {
    const seen = batchServer()
    const handler = createAuthorizer(options(), deliver)
    const [a, b] = await Promise.all([
      authorize(handler, 'private-x'),
      authorize(handler, 'private-x'),
    ])
    expect(JSON.parse(seen[0]?.body ?? '').channels).toEqual(['private-x'])
    expect(a?.data).toEqual(b?.data)
  })

  it('keeps socket ids apart: one request per socket id', async () => {
    const seen = batchServer()
    const handler = createAuthorizer(options(), deliver)
    await Promise.all([
      authorize(handler, 'private-a', '1.1'),
      authorize(handler, 'private-b', '2.2'),
    ])
    expect(
      seen.map((s) => JSON.parse(s.body)).sort((x, y) => (x.socket_id < y.socket_id ? -1 : 1)),
    ).toEqual([
      { socket_id: '1.1', channels: ['private-a'] },
      { socket_id: '2.2', channels: ['private-b'] },
    ])
  })

  it('without batchEndpoint sends pusher-js form requests, one per channel', async () => {
    const seen: Seen[] = []
    server.use(
      http.post(`${BASE}/auth`, async ({ request }) => {
        const body = await request.text()
        seen.push({ url: request.url, headers: request.headers, body })
        return HttpResponse.json(signed(new URLSearchParams(body).get('channel_name') ?? ''))
      }),
    )
    const handler = createAuthorizer({ endpoint: `${BASE}/auth` }, deliver)
    const results = await Promise.all([
      authorize(handler, 'private-a'),
      authorize(handler, 'presence-b'),
    ])
    expect(seen).toHaveLength(2)
    expect(seen[0]?.headers.get('content-type')).toBe('application/x-www-form-urlencoded')
    expect(seen.map((s) => Object.fromEntries(new URLSearchParams(s.body)))).toEqual([
      { socket_id: '1.1', channel_name: 'private-a' },
      { socket_id: '1.1', channel_name: 'presence-b' },
    ])
    expect(results.map((r) => r.data?.auth)).toEqual(['key:sig-private-a', 'key:sig-presence-b'])
  })

  it('hands the retained events of each channel to onOutcome before pusher-js gets the result', async () => {
    const events = [
      { event: 'a', data: 1 },
      { event: 'b', data: { n: 2 } },
    ]
    batchServer((c) => ({ ...signed(c), events }))
    const outcomes: [string, AuthOutcome][] = []
    const handler = createAuthorizer(options(), (c, o) => {
      outcomes.push([c, o])
      return 'deliver'
    })
    const result = await authorize(handler, 'private-stream@1')
    expect(outcomes).toEqual([['private-stream@1', { auth: 'key:sig-private-stream@1', events }]])
    expect(result.data?.auth).toBe('key:sig-private-stream@1')
  })
})

describe('stale answers', () => {
  it('asks again, with fresh headers, when the verdict is ask-again', async () => {
    let user = 'old'
    const seen = batchServer()
    let discard = true
    const handler = createAuthorizer(options({ headers: () => ({ 'x-user': user }) }), () => {
      user = 'new'
      if (!discard) return 'deliver'
      discard = false
      return 'ask-again'
    })
    const result = await authorize(handler, 'presence-a')
    expect(seen.map((s) => s.headers.get('x-user'))).toEqual(['old', 'new'])
    expect(result.data?.auth).toBe('key:sig-presence-a')
  })
})

describe('answers for a socket that is gone', () => {
  it('are dropped: pusher-js is not called back', async () => {
    batchServer()
    const handler = createAuthorizer(options(), () => 'drop')
    let called = false
    handler({ socketId: '1.1', channelName: 'private-a' }, () => {
      called = true
    })
    await new Promise((r) => setTimeout(r, 100))
    expect(called).toBe(false)
  })
})

describe('headers', () => {
  it('calls an async headers() before every request and sends what it resolves to', async () => {
    const seen = batchServer()
    let n = 0
    const headers = vi.fn(async () => {
      await new Promise((r) => setTimeout(r, 1))
      return { Authorization: `Bearer t${++n}` }
    })
    const handler = createAuthorizer(options({ headers, credentials: 'include' }), deliver)
    await authorize(handler, 'private-a')
    await authorize(handler, 'private-b')
    expect(headers).toHaveBeenCalledTimes(2)
    expect(seen.map((s) => s.headers.get('authorization'))).toEqual(['Bearer t1', 'Bearer t2'])
  })

  it('accepts a static headers object', async () => {
    const seen = batchServer()
    const handler = createAuthorizer(options({ headers: { 'X-Client-ID': 'c-7' } }), deliver)
    await authorize(handler, 'private-a')
    expect(seen[0]?.headers.get('x-client-id')).toBe('c-7')
  })
})

describe('401 handling', () => {
  it('calls onUnauthorized once, retries the refused channels once, and succeeds', async () => {
    let token = 'old'
    const bodies: unknown[] = []
    server.use(
      http.post(`${BASE}/batch`, async ({ request }) => {
        const body = (await request.json()) as { channels: string[] }
        bodies.push(body)
        const ok = request.headers.get('authorization') === 'Bearer new'
        return HttpResponse.json(
          Object.fromEntries(
            body.channels.map((c) => [
              c,
              ok || c === 'private-anon'
                ? signed(c)
                : { error: { code: 'UNAUTHENTICATED', status: 401 } },
            ]),
          ),
        )
      }),
    )
    const onUnauthorized = vi.fn(async () => {
      token = 'new'
    })
    const handler = createAuthorizer(
      options({ headers: () => ({ Authorization: `Bearer ${token}` }), onUnauthorized }),
      deliver,
    )
    const results = await Promise.all([
      authorize(handler, 'private-anon'),
      authorize(handler, 'presence-me'),
    ])
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
    expect(bodies).toEqual([
      { socket_id: '1.1', channels: ['private-anon', 'presence-me'] },
      { socket_id: '1.1', channels: ['presence-me'] },
    ])
    expect(results.map((r) => r.error)).toEqual([null, null])
  })

  it('retries only once: a second 401 is final and reported as UNAUTHENTICATED', async () => {
    let requests = 0
    server.use(
      http.post(`${BASE}/auth`, () => {
        requests++
        return HttpResponse.json({ error: { code: 'UNAUTHENTICATED' } }, { status: 401 })
      }),
    )
    const onUnauthorized = vi.fn()
    const handler = createAuthorizer({ endpoint: `${BASE}/auth`, onUnauthorized }, deliver)
    const result = await authorize(handler, 'private-a')
    expect(requests).toBe(2)
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
    expect(result.error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 })
  })

  it('shares one onUnauthorized() call between concurrent 401s', async () => {
    let refreshed = false
    server.use(
      http.post(`${BASE}/auth`, async ({ request }) => {
        const channel = new URLSearchParams(await request.text()).get('channel_name') ?? ''
        return refreshed
          ? HttpResponse.json(signed(channel))
          : HttpResponse.json({ error: { code: 'UNAUTHENTICATED' } }, { status: 401 })
      }),
    )
    const onUnauthorized = vi.fn(async () => {
      await new Promise((r) => setTimeout(r, 20))
      refreshed = true
    })
    const handler = createAuthorizer({ endpoint: `${BASE}/auth`, onUnauthorized }, deliver)
    const results = await Promise.all(
      ['private-a', 'private-b', 'private-c'].map((c) => authorize(handler, c)),
    )
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
    expect(results.map((r) => r.error)).toEqual([null, null, null])
  })

  /**
   * A refresh shared only while it runs let a 401 that arrived after it settled start
   * another one: 5 channels, 5 refreshes. Each request now remembers its token generation.
   */
  it.each([
    ['the single endpoint', false],
    ['the batch endpoint, one channel per window', true],
  ])(
    'on %s, 401s for requests sent before the refresh completed never refresh again',
    async (_, batch) => {
      let token = 'old'
      let sentWithOld = 0
      const refusedUntilRefresh = async (request: Request, channels: string[]) => {
        const ok = request.headers.get('authorization') === `Bearer ${token}` && token !== 'old'
        if (!ok) sentWithOld++
        // The old-token answers arrive one by one, the last ones after the refresh settled.
        if (!ok) await new Promise((r) => setTimeout(r, 15 * sentWithOld))
        return { ok, channels }
      }
      server.use(
        http.post(`${BASE}/auth`, async ({ request }) => {
          const channel =
            new URLSearchParams(await request.clone().text()).get('channel_name') ?? ''
          const { ok } = await refusedUntilRefresh(request, [channel])
          return ok
            ? HttpResponse.json(signed(channel))
            : HttpResponse.json({ error: { code: 'UNAUTHENTICATED' } }, { status: 401 })
        }),
        http.post(`${BASE}/batch`, async ({ request }) => {
          const { channels } = (await request.clone().json()) as { channels: string[] }
          const { ok } = await refusedUntilRefresh(request, channels)
          return HttpResponse.json(
            Object.fromEntries(
              channels.map((c) => [
                c,
                ok ? signed(c) : { error: { code: 'UNAUTHENTICATED', status: 401 } },
              ]),
            ),
          )
        }),
      )
      const onUnauthorized = vi.fn(async () => {
        token = 'fresh'
      })
      const handler = createAuthorizer(
        {
          endpoint: `${BASE}/auth`,
          ...(batch ? { batchEndpoint: `${BASE}/batch`, maxBatch: 1 } : {}),
          headers: async () => ({ Authorization: `Bearer ${token}` }),
          onUnauthorized,
        },
        deliver,
      )
      const names = ['private-1', 'private-2', 'private-3', 'private-4', 'private-5']
      const results = await Promise.all(names.map((c) => authorize(handler, c)))
      expect(onUnauthorized).toHaveBeenCalledTimes(1)
      expect(sentWithOld).toBe(5)
      expect(results.map((r) => r.error)).toEqual([null, null, null, null, null])
    },
  )

  it('a refresh that does not help: one retry per channel, then UNAUTHENTICATED, no loop', async () => {
    let requests = 0
    server.use(
      http.post(`${BASE}/batch`, async ({ request }) => {
        requests++
        const { channels } = (await request.json()) as { channels: string[] }
        return HttpResponse.json(
          Object.fromEntries(
            channels.map((c) => [c, { error: { code: 'UNAUTHENTICATED', status: 401 } }]),
          ),
        )
      }),
    )
    const onUnauthorized = vi.fn()
    const handler = createAuthorizer(options({ onUnauthorized }), deliver)
    const results = await Promise.all(['private-a', 'private-b'].map((c) => authorize(handler, c)))
    expect(requests).toBe(2)
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
    expect(results.map((r) => r.error?.code)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED'])
    // A later 401, on headers of the current generation, is a new token generation: one more call.
    await authorize(handler, 'private-c')
    expect(onUnauthorized).toHaveBeenCalledTimes(2)
  })

  it('without onUnauthorized a 401 is final after one request', async () => {
    let requests = 0
    server.use(
      http.post(`${BASE}/auth`, () => {
        requests++
        return HttpResponse.json({ error: { code: 'UNAUTHENTICATED' } }, { status: 401 })
      }),
    )
    const handler = createAuthorizer({ endpoint: `${BASE}/auth` }, deliver)
    const result = await authorize(handler, 'private-a')
    expect(requests).toBe(1)
    expect(result.error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 })
  })
})

describe('response validation', () => {
  const single = (response: () => Response) => {
    server.use(http.post(`${BASE}/auth`, response))
    return createAuthorizer({ endpoint: `${BASE}/auth` }, deliver)
  }

  it.each([
    ['private-a', {}, 'auth'],
    ['private-a', { auth: 42 }, 'auth'],
    ['presence-a', { auth: 'k:s' }, 'channel_data'],
    ['private-encrypted-a', { auth: 'k:s' }, 'shared_secret'],
  ])('%s answered %j → INVALID_AUTH_RESPONSE naming "%s"', async (channel, body, field) => {
    const handler = single(() => HttpResponse.json(body))
    const { error, data } = await authorize(handler, channel)
    expect(data).toBeNull()
    expect(error).toMatchObject({ code: 'INVALID_AUTH_RESPONSE', field, status: 200, channel })
    expect(error?.message).toContain(`"${field}"`)
  })

  it('names the missing field per channel inside a batch', async () => {
    batchServer((c) => (c === 'presence-bad' ? { auth: 'k:s' } : signed(c)))
    const handler = createAuthorizer(options(), deliver)
    const [good, bad, absent] = await Promise.all([
      authorize(handler, 'presence-good'),
      authorize(handler, 'presence-bad'),
      authorize(handler, 'private-encrypted-x'),
    ])
    expect(good?.error).toBeNull()
    expect(bad?.error).toMatchObject({ code: 'INVALID_AUTH_RESPONSE', field: 'channel_data' })
    expect(absent?.error).toBeNull()
  })

  it('reports a batch answer that omits a channel', async () => {
    server.use(http.post(`${BASE}/batch`, () => HttpResponse.json({})))
    const handler = createAuthorizer(options(), deliver)
    const { error } = await authorize(handler, 'private-a')
    expect(error).toMatchObject({ code: 'INVALID_AUTH_RESPONSE', field: 'auth' })
  })

  it('accepts any 2xx', async () => {
    const handler = single(() => HttpResponse.json(signed('private-a'), { status: 201 }))
    expect((await authorize(handler, 'private-a')).data).toEqual({ auth: 'key:sig-private-a' })
  })

  it('rejects a 2xx body that is not JSON', async () => {
    const handler = single(() => new HttpResponse('<html>login</html>', { status: 200 }))
    expect((await authorize(handler, 'private-a')).error).toMatchObject({
      code: 'INVALID_AUTH_RESPONSE',
      field: 'auth',
    })
  })

  it('passes the server code, status and message of a refusal through', async () => {
    const handler = single(() =>
      HttpResponse.json(
        { error: { code: 'SESSION_NOT_FOUND', message: 'no session 8f2c' } },
        { status: 403 },
      ),
    )
    const { error } = await authorize(handler, 'private-session-8f2c')
    expect(error).toMatchObject({ code: 'SESSION_NOT_FOUND', status: 403 })
    expect(error?.message).toBe('no session 8f2c')
  })

  it('maps a non-JSON error answer to HTTP_ERROR with its status', async () => {
    const handler = single(() => new HttpResponse('Bad gateway', { status: 502 }))
    expect((await authorize(handler, 'private-a')).error).toMatchObject({
      code: 'HTTP_ERROR',
      status: 502,
    })
  })

  it('maps a failed fetch to NETWORK_ERROR with status 0 for every channel of the batch', async () => {
    server.use(http.post(`${BASE}/batch`, () => HttpResponse.error()))
    const handler = createAuthorizer(options(), deliver)
    const results = await Promise.all([
      authorize(handler, 'private-a'),
      authorize(handler, 'private-b'),
    ])
    for (const r of results) expect(r.error).toMatchObject({ code: 'NETWORK_ERROR', status: 0 })
  })

  it('uses the injected fetch, called without a receiver', async () => {
    const calls: string[] = []
    const handler = createAuthorizer(
      {
        endpoint: `${BASE}/auth`,
        fetch: async function (this: unknown, input) {
          // A browser's fetch throws "Illegal invocation" when called on another object.
          expect(this).toBeUndefined()
          calls.push(String(input))
          return Response.json(signed('private-a'))
        },
      },
      deliver,
    )
    expect((await authorize(handler, 'private-a')).error).toBeNull()
    expect(calls).toEqual([`${BASE}/auth`])
  })
})
