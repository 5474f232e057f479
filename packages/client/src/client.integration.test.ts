import { type SoketiServer, soketiChannelUsers, startSoketi, waitFor } from '@presence/testing'
import Pusher from 'pusher'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { type AuthServer, connectClient, startAuthServer } from '../test/harness.js'
import type { MemberSnapshot } from './snapshots.js'
import type { PresenceClient } from './types.js'

let soketi: SoketiServer
let auth: AuthServer
const clients: PresenceClient[] = []

const connect = (
  ...args: Parameters<typeof connectClient> extends [unknown, unknown, ...infer R] ? R : never
) => {
  const client = connectClient(soketi, auth, ...args)
  clients.push(client)
  return client
}
const snap = (client: PresenceClient, name: string): MemberSnapshot =>
  client.members(name).getSnapshot()
const ids = (s: MemberSnapshot) => [...s.members.keys()].sort()
const status = (client: PresenceClient, name: string, wanted: string) =>
  waitFor(() => snap(client, name).status === wanted, {
    what: `${name} ${wanted}`,
    timeoutMs: 10_000,
  })

beforeAll(async () => {
  soketi = await startSoketi()
  auth = await startAuthServer(soketi)
})
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy()
  auth.requests.length = 0
  auth.forbidden.clear()
})
afterAll(async () => {
  await auth?.close()
  await soketi?.stop()
})

describe('batching against soketi and @presence/server', () => {
  it('authorizes 30 channels subscribed at once with one request', async () => {
    const client = connect('u1')
    await waitFor(() => client.connection.getSnapshot() === 'connected', { what: 'connected' })
    const names = Array.from({ length: 30 }, (_, i) =>
      i % 3 === 0 ? `presence-room-${i}` : `private-room-${i}`,
    )
    for (const n of names) client.subscribe(n)
    await waitFor(() => names.every((n) => snap(client, n).status === 'subscribed'), {
      what: '30 channels subscribed',
    })
    expect(auth.requests).toHaveLength(1)
    expect(auth.requests[0]?.path).toBe('/batch')
    expect(auth.requests[0]?.channels.sort()).toEqual([...names].sort())
    expect(snap(client, 'presence-room-0').me).toEqual({
      id: 'u1',
      info: { name: 'u1' },
      state: {},
    })
  })

  it('runs against the pusher-js of this project (the latest 8.x, or the floor of the peer range)', () => {
    const expected = process.env.PUSHER_JS_VERSION
    const client = connect('u1')
    // pusher-js reports its version only in its timeline's options (what it sends with stats).
    const version = (client.pusher.timeline as unknown as { options: { version: string } }).options
      .version
    console.log(`pusher-js ${version}`)
    if (expected) expect(version).toBe(expected)
    else expect(version).toMatch(/^8\./)
  })

  it('without batchEndpoint uses handlers.auth, one pusher-js form request per channel', async () => {
    const client = connect('u3', { auth: { endpoint: auth.endpoint, headers: { 'x-user': 'u3' } } })
    client.subscribe('private-single-1')
    client.subscribe('presence-single-2')
    await status(client, 'private-single-1', 'subscribed')
    await status(client, 'presence-single-2', 'subscribed')
    expect(auth.requests.map((r) => [r.path, r.channels])).toEqual([
      ['/auth', ['private-single-1']],
      ['/auth', ['presence-single-2']],
    ])
    expect(snap(client, 'presence-single-2').me).toEqual({
      id: 'u3',
      info: { name: 'u3' },
      state: {},
    })
  })

  it('subscribe, release, subscribe in one tick: one pusher-js subscribe and one auth request', async () => {
    const client = connect('u1')
    // Once connected, so pusher-js's own subscribeAll() on connect is not counted.
    await waitFor(() => client.connection.getSnapshot() === 'connected', { what: 'connected' })
    const subscribe = vi.spyOn(client.pusher, 'subscribe')
    const first = client.subscribe('presence-strict')
    first.release()
    const second = client.subscribe('presence-strict')
    await status(client, 'presence-strict', 'subscribed')
    // Longer than graceMs: the released reference must not unsubscribe the live one.
    await new Promise((r) => setTimeout(r, 100))
    expect(subscribe).toHaveBeenCalledTimes(1)
    expect(auth.requests.flatMap((r) => r.channels)).toEqual(['presence-strict'])
    expect(snap(client, 'presence-strict').status).toBe('subscribed')
    expect(await soketiChannelUsers(soketi, 'presence-strict')).toEqual(['u1'])
    second.release()
    await waitFor(async () => (await soketiChannelUsers(soketi, 'presence-strict')).length === 0, {
      what: 'left after the last release',
    })
  })
})

describe('subscription manager', () => {
  it('joins presence channels only while a user is set (a messenger active list)', async () => {
    const client = connect(null, {
      auth: {
        endpoint: auth.endpoint,
        batchEndpoint: auth.batchEndpoint,
        headers: { 'x-user': 'u9' },
      },
    })
    const handle = client.subscribe('presence-messenger')
    await new Promise((r) => setTimeout(r, 200))
    expect(snap(client, 'presence-messenger').status).toBe('idle')
    expect(auth.requests).toHaveLength(0)

    client.setUser({ id: 'u9' })
    await status(client, 'presence-messenger', 'subscribed')
    expect(await soketiChannelUsers(soketi, 'presence-messenger')).toEqual(['u9'])

    client.setUser(null)
    expect(snap(client, 'presence-messenger')).toMatchObject({ status: 'idle', count: 0 })
    await waitFor(
      async () => (await soketiChannelUsers(soketi, 'presence-messenger')).length === 0,
      {
        what: 'left on sign-out',
      },
    )
    handle.release()
  })

  it('rejoins presence channels when the user changes, with fresh headers', async () => {
    let current = 'alice'
    const client = connect(null, {
      auth: {
        endpoint: auth.endpoint,
        batchEndpoint: auth.batchEndpoint,
        headers: async () => ({ 'x-user': current }),
      },
    })
    client.setUser({ id: 'alice' })
    const handle = client.subscribe('presence-switch')
    await status(client, 'presence-switch', 'subscribed')
    expect(snap(client, 'presence-switch').me?.id).toBe('alice')
    expect(client.user.getSnapshot()).toEqual({ id: 'alice' })

    current = 'bob'
    client.setUser({ id: 'bob' })
    await waitFor(() => snap(client, 'presence-switch').me?.id === 'bob', {
      what: 'rejoined as bob',
    })
    await waitFor(
      async () => JSON.stringify(await soketiChannelUsers(soketi, 'presence-switch')) === '["bob"]',
      { what: 'soketi sees only bob' },
    )
    expect(ids(snap(client, 'presence-switch'))).toEqual(['bob'])

    // The same id again is not a change: no new request.
    const before = auth.requests.length
    client.setUser({ id: 'bob', name: 'Bob' })
    await new Promise((r) => setTimeout(r, 100))
    expect(auth.requests).toHaveLength(before)
    handle.release()
  })

  it('a user switch while the authorization is in flight asks again as the new user', async () => {
    let current = 'carol'
    const client = connect(null, {
      auth: {
        endpoint: auth.endpoint,
        batchEndpoint: auth.batchEndpoint,
        headers: () => ({ 'x-user': current }),
        // Slow network: the request leaves with carol's headers, then the user switches.
        fetch: async (input, init) => {
          await new Promise((r) => setTimeout(r, 150))
          return fetch(input, init)
        },
      },
    })
    await waitFor(() => client.connection.getSnapshot() === 'connected', { what: 'connected' })
    client.setUser({ id: 'carol' })
    client.subscribe('presence-inflight')
    await waitFor(() => auth.requests.length === 1, { what: 'first request sent' })
    current = 'dave'
    client.setUser({ id: 'dave' })
    await waitFor(() => snap(client, 'presence-inflight').me?.id === 'dave', {
      what: 'joined as dave',
    })
    expect(auth.requests.map((r) => r.channels)).toEqual([
      ['presence-inflight'],
      ['presence-inflight'],
    ])
    await new Promise((r) => setTimeout(r, 200))
    expect(await soketiChannelUsers(soketi, 'presence-inflight')).toEqual(['dave'])
    expect(ids(snap(client, 'presence-inflight'))).toEqual(['dave'])
  })

  it('reports a refusal with the server code and retries when subscribed again', async () => {
    auth.forbidden.add('private-locked')
    const client = connect('u1')
    const handle = client.subscribe('private-locked')
    await status(client, 'private-locked', 'forbidden')
    expect(snap(client, 'private-locked').error).toMatchObject({
      code: 'CHANNEL_FORBIDDEN',
      status: 403,
    })

    auth.forbidden.delete('private-locked')
    const again = client.subscribe('private-locked')
    await status(client, 'private-locked', 'subscribed')
    expect(snap(client, 'private-locked').error).toBeNull()
    handle.release()
    again.release()
  })

  it('reports unauthenticated without a session', async () => {
    const client = connect(null, {
      auth: { endpoint: auth.endpoint, batchEndpoint: auth.batchEndpoint },
    })
    client.subscribe('private-room-1')
    await status(client, 'private-room-1', 'unauthenticated')
    expect(snap(client, 'private-room-1').error).toMatchObject({
      code: 'UNAUTHENTICATED',
      status: 401,
    })
  })

  it('leaving unbinds every handler and clears the store', async () => {
    const client = connect('u1')
    const handle = client.subscribe('presence-leave')
    await status(client, 'presence-leave', 'subscribed')
    const channel = handle.channel as unknown as { global_callbacks: unknown[] }
    expect(channel.global_callbacks).toHaveLength(1)
    handle.release()
    await waitFor(() => snap(client, 'presence-leave').status === 'idle', { what: 'idle' })
    expect(channel.global_callbacks).toHaveLength(0)
    expect(client.pusher.channel('presence-leave')).toBeUndefined()
    expect(snap(client, 'presence-leave')).toMatchObject({ count: 0, me: null })
    expect(client.online.getSnapshot().size).toBe(0)
  })

  it('a channel left while its authorization was in flight is not resubscribed after a reconnect', async () => {
    const client = connect('g1', {
      auth: {
        endpoint: auth.endpoint,
        batchEndpoint: auth.batchEndpoint,
        headers: { 'x-user': 'g1' },
        fetch: async (input, init) => {
          await new Promise((r) => setTimeout(r, 200))
          return fetch(input, init)
        },
      },
    })
    await waitFor(() => client.connection.getSnapshot() === 'connected', { what: 'connected' })
    const handle = client.subscribe('presence-ghost')
    await new Promise((r) => setTimeout(r, 20))
    handle.release()
    await new Promise((r) => setTimeout(r, 60)) // past graceMs (20), the request still in flight
    client.pusher.disconnect()
    client.pusher.connect()
    await waitFor(() => client.connection.getSnapshot() === 'connected', { what: 'reconnected' })
    await new Promise((r) => setTimeout(r, 800))
    expect(await soketiChannelUsers(soketi, 'presence-ghost')).toEqual([])
    expect(client.pusher.channel('presence-ghost')).toBeUndefined()
    expect(snap(client, 'presence-ghost').status).toBe('idle')
  })

  it('delivers retained events after subscription_succeeded, in order, before live events', async () => {
    const client = connect('u1')
    const seen: unknown[] = []
    client.on('private-stream@7', 'pusher:subscription_succeeded', () => seen.push('succeeded'))
    client.on('private-stream@7', 'retained', (d) => seen.push(d))
    const off = client.on('private-stream@7', 'live', (d) => seen.push(d))
    client.subscribe('private-stream@7')
    await status(client, 'private-stream@7', 'subscribed')
    await new Pusher(soketi.pusherOptions).trigger('private-stream@7', 'live', 'live-1')
    await waitFor(() => seen.length === 4, { what: 'live event' })
    expect(seen).toEqual(['succeeded', 1, 2, 'live-1'])
    off()
    await new Pusher(soketi.pusherOptions).trigger('private-stream@7', 'live', 'live-2')
    await new Promise((r) => setTimeout(r, 200))
    expect(seen).toHaveLength(4)
  })
})

describe('member limit', () => {
  it('reports a full presence channel as MEMBER_LIMIT', async () => {
    const small = await startSoketi({ maxPresenceMembers: 1 })
    const smallAuth = await startAuthServer(small)
    const first = connectClient(small, smallAuth, 'u1')
    const second = connectClient(small, smallAuth, 'u2')
    try {
      first.subscribe('presence-full')
      await waitFor(() => first.members('presence-full').getSnapshot().status === 'subscribed', {
        what: 'first in',
      })
      second.subscribe('presence-full')
      await waitFor(() => second.members('presence-full').getSnapshot().status === 'error', {
        what: 'second refused',
      })
      expect(second.members('presence-full').getSnapshot().error).toMatchObject({
        code: 'MEMBER_LIMIT',
        status: 4100,
      })
      // Room again: subscribing again retries the refused channel.
      first.destroy()
      await waitFor(async () => (await soketiChannelUsers(small, 'presence-full')).length === 0, {
        what: 'first left',
      })
      second.subscribe('presence-full')
      await waitFor(() => second.members('presence-full').getSnapshot().status === 'subscribed', {
        what: 'second in after retry',
      })
      expect(await soketiChannelUsers(small, 'presence-full')).toEqual(['u2'])
    } finally {
      first.destroy()
      second.destroy()
      await smallAuth.close()
      await small.stop()
    }
  })
})
