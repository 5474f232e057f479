import { createServer, type Socket } from 'node:net'
import { type SoketiServer, soketiChannelUsers, startSoketi, waitFor } from '@presence/testing'
import Pusher from 'pusher'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  type AuthServer,
  connectClient,
  type SeenRequest,
  startAuthServer,
} from '../test/harness.js'
import type { RecoverySnapshot } from './snapshots.js'
import type { PresenceClient } from './types.js'

// After the websocket server restarts, clients reconnect on a short jittered backoff instead
// of pusher-js's 15 s attempt timer, and rebuild their member stores from one batched auth
// request each. Measured from the moment soketi accepts connections again.

let soketi: SoketiServer
let auth: AuthServer
const clients: PresenceClient[] = []

beforeAll(async () => {
  soketi = await startSoketi()
  auth = await startAuthServer(soketi)
})
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy()
  auth.requests.length = 0
})
afterAll(async () => {
  await auth?.close()
  await soketi?.stop()
})

const connect = (user: string) => {
  const client = connectClient(soketi, auth, user)
  clients.push(client)
  return client
}
const memberIds = (client: PresenceClient, channel: string) =>
  [...client.members(channel).getSnapshot().members.keys()].sort()

/** Whether every client's store of every channel it holds equals soketi's own member list. */
async function storesMatchSoketi(holders: Map<string, PresenceClient[]>): Promise<boolean> {
  for (const [channel, members] of holders) {
    const truth = JSON.stringify(await soketiChannelUsers(soketi, channel))
    for (const client of members) {
      if (client.members(channel).getSnapshot().status !== 'subscribed') return false
      if (JSON.stringify(memberIds(client, channel)) !== truth) return false
    }
  }
  return true
}

/** soketi's subscription count of a channel: one per socket subscribed. */
async function subscriptionCount(channel: string): Promise<number> {
  const res = await new Pusher(soketi.pusherOptions).get({ path: `/channels/${channel}` })
  return ((await res.json()) as { subscription_count: number }).subscription_count
}

/** Stops soketi, waits until every client noticed, starts it again on the same port. */
async function restartSoketi(all: PresenceClient[]): Promise<number> {
  const port = soketi.port
  await soketi.stop()
  await waitFor(() => all.every((client) => client.connection.getSnapshot() !== 'connected'), {
    what: 'every client noticed the outage',
    timeoutMs: 20_000,
  })
  auth.requests.length = 0
  soketi = await startSoketi({ port })
  // startSoketi resolves once soketi's HTTP API answers: it accepts connections from here.
  return Date.now()
}

/** Counts each client's transitions into `connected`. */
function countConnections(all: PresenceClient[]): number[] {
  const counts = all.map(() => 0)
  all.forEach((client, index) => {
    let previous = client.connection.getSnapshot()
    client.connection.subscribe(() => {
      const current = client.connection.getSnapshot()
      if (current === 'connected' && previous !== 'connected')
        counts[index] = (counts[index] ?? 0) + 1
      previous = current
    })
  })
  return counts
}

/** Auth requests per 100 ms after `start`, as printable lines. */
function histogram(requests: SeenRequest[], start: number): string[] {
  const bins = new Map<number, number>()
  for (const request of requests) {
    const bin = Math.floor((request.at - start) / 100)
    bins.set(bin, (bins.get(bin) ?? 0) + 1)
  }
  const last = Math.max(...bins.keys())
  const lines: string[] = []
  for (let bin = Math.min(0, ...bins.keys()); bin <= last; bin++) {
    const count = bins.get(bin) ?? 0
    const from = (bin / 10).toFixed(1)
    const to = ((bin + 1) / 10).toFixed(1)
    lines.push(
      `  ${from.padStart(5)}–${to.padEnd(5)} s ${String(count).padStart(3)} ${'#'.repeat(count)}`,
    )
  }
  return lines
}

describe('recovery after the websocket server restarts', () => {
  it('6 clients in 2 presence channels (one user on two connections) match soketi within 5 s, one batched request each', {
    timeout: 120_000,
  }, async () => {
    const users = ['u1', 'u1', 'u2', 'u3', 'u4', 'u5']
    const channels = ['presence-team-a', 'presence-team-b', 'private-doc-1']
    const all = users.map(connect)
    for (const client of all) for (const channel of channels) client.subscribe(channel)
    const holders = new Map(
      channels.filter((c) => c.startsWith('presence-')).map((c) => [c, all] as const),
    )
    await waitFor(() => storesMatchSoketi(holders), {
      what: 'initial convergence',
      timeoutMs: 20_000,
    })
    expect(memberIds(all[0] as PresenceClient, 'presence-team-a')).toEqual([
      'u1',
      'u2',
      'u3',
      'u4',
      'u5',
    ])

    const connections = countConnections(all)
    const acceptingAt = await restartSoketi(all)
    // Cleared while the socket is down: no stale members.
    await waitFor(() => storesMatchSoketi(holders), {
      what: 'convergence after the restart',
      timeoutMs: 30_000,
    })
    const recoverySeconds = (Date.now() - acceptingAt) / 1000
    console.log(
      `6 clients: member stores equal soketi's ${recoverySeconds.toFixed(2)} s after soketi accepted connections again`,
    )
    expect(recoverySeconds).toBeLessThan(5)

    // One batched request per client, carrying every channel it holds, from six sockets.
    expect(auth.requests).toHaveLength(6)
    for (const request of auth.requests) {
      expect(request.path).toBe('/batch')
      expect([...request.channels].sort()).toEqual([...channels].sort())
    }
    expect(new Set(auth.requests.map((r) => r.socketId)).size).toBe(6)
    // No duplicate connection: each client connected once, one socket per client in each channel.
    expect(connections).toEqual([1, 1, 1, 1, 1, 1])
    for (const channel of channels) expect(await subscriptionCount(channel)).toBe(6)
    for (const client of all)
      expect(client.recovery.getSnapshot()).toEqual({ phase: 'off', attempt: 0, delayMs: null })

    // No ghosts: when u2 leaves, every remaining store and soketi agree.
    const leaving = all[2] as PresenceClient
    leaving.destroy()
    holders.set(
      'presence-team-a',
      all.filter((client) => client !== leaving),
    )
    holders.set(
      'presence-team-b',
      all.filter((client) => client !== leaving),
    )
    await waitFor(
      async () =>
        !(await soketiChannelUsers(soketi, 'presence-team-a')).includes('u2') &&
        (await storesMatchSoketi(holders)),
      { what: 'u2 gone everywhere' },
    )
    expect(memberIds(all[0] as PresenceClient, 'presence-team-a')).toEqual(['u1', 'u3', 'u4', 'u5'])
  })

  it('100 clients: auth requests after the restart spread over the jitter window, none failed', {
    timeout: 180_000,
  }, async () => {
    const channelOf = (index: number) => `presence-storm-${index % 4}`
    const all = Array.from({ length: 100 }, (_, index) => connect(`s${index}`))
    const holders = new Map<string, PresenceClient[]>()
    all.forEach((client, index) => {
      client.subscribe(channelOf(index))
      holders.set(channelOf(index), [...(holders.get(channelOf(index)) ?? []), client])
    })
    await waitFor(() => storesMatchSoketi(holders), {
      what: 'initial convergence',
      timeoutMs: 60_000,
    })

    const acceptingAt = await restartSoketi(all)
    await waitFor(() => storesMatchSoketi(holders), {
      what: 'convergence after the restart',
      timeoutMs: 60_000,
    })
    const recoverySeconds = (Date.now() - acceptingAt) / 1000
    const requests = [...auth.requests].sort((a, b) => a.at - b.at)
    const spanSeconds = ((requests.at(-1)?.at ?? 0) - (requests[0]?.at ?? 0)) / 1000
    console.log(
      [
        `100 clients: member stores equal soketi's ${recoverySeconds.toFixed(2)} s after soketi accepted connections again`,
        `auth requests after the restart per 100 ms (from soketi accepting connections), spread over ${spanSeconds.toFixed(2)} s:`,
        ...histogram(requests, acceptingAt),
      ].join('\n'),
    )
    // None failed: one request per client, every channel subscribed and equal to soketi's list.
    expect(requests).toHaveLength(100)
    expect(new Set(requests.map((r) => r.socketId)).size).toBe(100)
    for (const client of all)
      expect(client.members(channelOf(all.indexOf(client))).getSnapshot().error).toBeNull()
    // Spread: no 100 ms slot holds a quarter of the clients (pusher-js alone retries in lockstep).
    const perSlot = new Map<number, number>()
    for (const r of requests) {
      const slot = Math.floor((r.at - acceptingAt) / 100)
      perSlot.set(slot, (perSlot.get(slot) ?? 0) + 1)
    }
    expect(Math.max(...perSlot.values())).toBeLessThan(25)
  })

  it('exposes each retry in client.recovery: delays drawn within the doubling window, capped', {
    timeout: 120_000,
  }, async () => {
    const client = connectClient(soketi, auth, 'r1', {
      reconnect: { firstDelayMs: 200, maxDelayMs: 500 },
    })
    clients.push(client)
    client.subscribe('presence-observed')
    await waitFor(() => client.members('presence-observed').getSnapshot().status === 'subscribed', {
      what: 'subscribed',
    })
    const seen: RecoverySnapshot[] = []
    client.recovery.subscribe(() => seen.push(client.recovery.getSnapshot()))

    const port = soketi.port
    await soketi.stop()
    // Long enough for several failed attempts with these short windows.
    await waitFor(() => seen.filter((s) => s.phase === 'waiting').length >= 5, {
      what: 'five retries scheduled while soketi is down',
      timeoutMs: 30_000,
    })
    soketi = await startSoketi({ port })
    await waitFor(() => client.members('presence-observed').getSnapshot().status === 'subscribed', {
      what: 'subscribed again',
      timeoutMs: 30_000,
    })
    const waits = seen.filter((s) => s.phase === 'waiting')
    console.log(
      `retries while soketi was down (attempt: delay drawn): ${waits.map((s) => `${s.attempt}: ${s.delayMs} ms`).join(', ')}`,
    )
    expect(seen[0]).toEqual({ phase: 'attempting', attempt: 0, delayMs: null })
    waits.forEach((wait, index) => {
      expect(wait.attempt).toBe(index)
      expect(wait.delayMs).toBeGreaterThanOrEqual(0)
      expect(wait.delayMs).toBeLessThanOrEqual(Math.min(500, 200 * 2 ** index))
    })
    expect(client.recovery.getSnapshot()).toEqual({ phase: 'off', attempt: 0, delayMs: null })
  })

  it('reconnect: false leaves pusher-js alone: the recovery stays off', {
    timeout: 120_000,
  }, async () => {
    const client = connectClient(soketi, auth, 'r2', { reconnect: false })
    clients.push(client)
    client.subscribe('presence-plain')
    await waitFor(() => client.members('presence-plain').getSnapshot().status === 'subscribed', {
      what: 'subscribed',
    })
    const seen: RecoverySnapshot[] = []
    client.recovery.subscribe(() => seen.push(client.recovery.getSnapshot()))
    const port = soketi.port
    await soketi.stop()
    await waitFor(() => client.connection.getSnapshot() === 'connecting', { what: 'connecting' })
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    soketi = await startSoketi({ port })
    const acceptingAt = Date.now()
    // pusher-js's own pacing: its attempt timer decides when it tries again.
    await waitFor(() => client.members('presence-plain').getSnapshot().status === 'subscribed', {
      what: 'subscribed again by pusher-js alone',
      timeoutMs: 60_000,
    })
    console.log(
      `reconnect: false (pusher-js's own pacing): subscribed again ${((Date.now() - acceptingAt) / 1000).toFixed(2)} s after soketi accepted connections again`,
    )
    expect(seen).toEqual([])
    expect(client.recovery.getSnapshot().phase).toBe('off')
  })

  it('never cuts short an attempt still in its handshake, and never opens a second socket', {
    timeout: 120_000,
  }, async () => {
    const client = connectClient(soketi, auth, 'r3')
    clients.push(client)
    await waitFor(() => client.connection.getSnapshot() === 'connected', { what: 'connected' })
    const port = soketi.port
    await soketi.stop()
    // In soketi's place, a server that accepts TCP connections and never answers the
    // websocket handshake: an attempt that is slow, not failed.
    const sockets: Socket[] = []
    const silent = createServer((socket) => {
      sockets.push(socket)
    })
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve))
    try {
      await waitFor(() => sockets.length > 0, {
        what: 'an attempt reached the silent server',
        timeoutMs: 20_000,
      })
      // Far longer than the largest retry window (3 s).
      await new Promise((resolve) => setTimeout(resolve, 5_000))
      expect(sockets).toHaveLength(1)
      expect(client.recovery.getSnapshot().phase).toBe('attempting')
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => silent.close(() => resolve()))
      soketi = await startSoketi({ port })
    }
    await waitFor(() => client.connection.getSnapshot() === 'connected', {
      what: 'connected again once soketi is back',
      timeoutMs: 30_000,
    })
  })
})
