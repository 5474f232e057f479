/**
 * Two soketi nodes on the Redis adapter and two app instances sharing one
 * redis-server (cache, online status) and one SQLite file.
 */
import { createPresenceClient, type PresenceClient } from '@presence/client'
import { waitFor } from '@presence/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type Stack, type StackNode, startStack } from './testing/stack.js'
import { lastSeen } from './webhooks.js'

let stack: Stack
const clients: PresenceClient[] = []

function clientOn(
  node: StackNode,
  token: string | null,
  user: { id: string } | null,
  clientId?: string,
) {
  const headers: Record<string, string> = {
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
    ...(clientId ? { 'X-Client-ID': clientId } : {}),
  }
  const client = createPresenceClient({
    pusher: { key: node.soketi.key, ...node.soketi.pusherJsOptions },
    auth: {
      endpoint: `${node.url}/pusher/auth`,
      batchEndpoint: `${node.url}/pusher/batch-authenticate`,
      headers,
    },
    user,
  })
  clients.push(client)
  return client
}

beforeAll(async () => {
  stack = await startStack({ nodes: 2 })
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await stack?.stop()
})

it('a client on node A and one on node B see each other in one presence channel', {
  timeout: 120_000,
}, async () => {
  const [a, b] = stack.nodes as [StackNode, StackNode]
  const bob = clientOn(a, 'token-bob', { id: '2' })
  const carol = clientOn(b, 'token-carol', { id: '3' })
  const channel = 'presence-stream@42'
  // One after the other: soketi's Redis adapter builds a joiner's member list by asking
  // the other nodes, so two joins racing on two nodes can miss each other (a soketi limit).
  bob.subscribe(channel)
  await waitFor(() => bob.members(channel).getSnapshot().status === 'subscribed', {
    timeoutMs: 30_000,
    what: 'bob subscribed on node A',
  })
  carol.subscribe(channel)

  const both = (client: PresenceClient) => {
    const snapshot = client.members<{ name: string }>(channel).getSnapshot()
    return snapshot.count === 2 ? snapshot : null
  }
  const seenByBob = await waitFor(() => both(bob), { timeoutMs: 30_000, what: 'bob sees carol' })
  const seenByCarol = await waitFor(() => both(carol), {
    timeoutMs: 30_000,
    what: 'carol sees bob',
  })
  expect(seenByBob.members.get('3')?.info.name).toBe('carol')
  expect(seenByCarol.members.get('2')?.info.name).toBe('bob')

  // Each app instance authorized its own client.
  const presenceDecisions = (node: StackNode) =>
    node.decisions.filter((d) => d.channel === channel && d.outcome === 'allow').length
  expect(presenceDecisions(a)).toBe(1)
  expect(presenceDecisions(b)).toBe(1)

  // Node A's soketi told app A (member_added webhook), which recorded bob online in Redis;
  // app B reads it for the user.online retained event of a profile channel.
  await waitFor(async () => await b.app.online.isOnline('2'), {
    timeoutMs: 30_000,
    what: 'bob online in Redis, as seen by app B',
  })
  // The member_added callback used the member data the auth step cached (the batch service).
  const seen = await waitFor(() => lastSeen(b.app.redis, '2'), {
    timeoutMs: 30_000,
    what: "bob's last-seen record",
  })
  expect(seen).toMatchObject({ channel, info: { name: 'bob', role: 'viewer' } })
  // bob asks about himself: where he last joined is his alone.
  const res = await fetch(`${b.url}/users/2/presence`, {
    headers: { Authorization: 'Bearer token-bob' },
  })
  expect(await res.json()).toMatchObject({ online: true, lastSeen: { channel } })
  // carol sees whether bob is online, not where.
  const other = await fetch(`${b.url}/users/2/presence`, {
    headers: { Authorization: 'Bearer token-carol' },
  })
  expect(await other.json()).toEqual({ online: true })
})

it('anonymous channel data is one cached answer for every caller, across app instances and client ids', {
  timeout: 120_000,
}, async () => {
  const [a, b] = stack.nodes as [StackNode, StackNode]
  // The service's anonymous private channels (its `ANNON` channel data): the stream's public
  // data does not depend on who asks, so the first answer serves every caller.
  const channel = 'private-stream@42'
  const viewerA = clientOn(a, null, null, 'web-1')
  const viewerB = clientOn(b, null, null, 'ios-7')
  const onlineB: unknown[] = []
  viewerB.on(channel, 'stream.online', (data) => onlineB.push(data))

  viewerA.subscribe(channel)
  await waitFor(() => viewerA.members(channel).getSnapshot().status === 'subscribed', {
    timeoutMs: 30_000,
    what: 'viewer A subscribed',
  })
  viewerB.subscribe(channel)
  await waitFor(() => viewerB.members(channel).getSnapshot().status === 'subscribed', {
    timeoutMs: 30_000,
    what: 'viewer B subscribed',
  })

  const last = (node: StackNode) => node.decisions.filter((d) => d.channel === channel).at(-1)
  expect(last(a)).toMatchObject({ outcome: 'allow', cached: false })
  // Another instance, another X-Client-ID: the same cached answer.
  expect(last(b)).toMatchObject({ outcome: 'allow', cached: true })
  // The cached answer still carries the retained events.
  await waitFor(() => onlineB.length === 1, {
    timeoutMs: 30_000,
    what: 'stream.online from the cached answer',
  })
  expect(onlineB[0]).toEqual({ streamId: '42', online: true })

  // A signed-in caller with a third client id gets it too (nothing in it is personal) ...
  const ask = async (node: StackNode, channels: string, headers: Record<string, string>) => {
    const query = new URLSearchParams({ socket_id: '1.2', channels })
    const res = await fetch(`${node.url}/pusher/batch-authenticate?${query}`, { headers })
    return (await res.json()) as Record<string, { auth?: string; events?: unknown[] }>
  }
  const anonymous = await ask(a, channel, { 'X-Client-ID': 'web-1' })
  const signedIn = await ask(b, channel, {
    Authorization: 'Bearer token-carol',
    'X-Client-ID': 'android-3',
  })
  expect(last(b)).toMatchObject({ outcome: 'allow', cached: true, userId: '3' })
  expect(signedIn[channel]).toEqual(anonymous[channel])
  // ... while a personal channel (an order) is decided for each caller, never cached.
  await ask(a, 'private-order@1001', { Authorization: 'Bearer token-bob', 'X-Client-ID': 'web-1' })
  await ask(b, 'private-order@1001', { Authorization: 'Bearer token-bob', 'X-Client-ID': 'web-1' })
  const order = (node: StackNode) =>
    node.decisions.filter((d) => d.channel === 'private-order@1001').at(-1)
  expect(order(a)).toMatchObject({ outcome: 'allow', cached: false })
  expect(order(b)).toMatchObject({ outcome: 'allow', cached: false })
})
