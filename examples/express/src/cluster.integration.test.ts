/**
 * two soketi nodes on the Redis adapter and two app
 * instances sharing one redis-server (cache, online status) and one SQLite file.
 */
import { createPresenceClient, type PresenceClient } from '@presence/client'
import { waitFor } from '@presence/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type Stack, type StackNode, startStack } from './testing/stack.js'
import { lastSeen } from './webhooks.js'

let stack: Stack
const clients: PresenceClient[] = []

function clientOn(node: StackNode, token: string | null, user: { id: string } | null) {
  const client = createPresenceClient({
    pusher: { key: node.soketi.key, ...node.soketi.pusherJsOptions },
    auth: {
      endpoint: `${node.url}/pusher/auth`,
      batchEndpoint: `${node.url}/pusher/batch-authenticate`,
      ...(token ? { headers: { Authorization: `Bearer ${token}` } } : {}),
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
  const res = await fetch(`${b.url}/users/2/presence`)
  expect(await res.json()).toMatchObject({ online: true, lastSeen: { channel } })
})

it('the second app instance answers from the Redis cache filled by the first', {
  timeout: 120_000,
}, async () => {
  const [a, b] = stack.nodes as [StackNode, StackNode]
  // The batch service's anonymous private channels: the stream's public data, cached per channel.
  const channel = 'private-stream@42'
  const viewerA = clientOn(a, null, null)
  const viewerB = clientOn(b, null, null)
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

  const decisionA = a.decisions.filter((d) => d.channel === channel).at(-1)
  const decisionB = b.decisions.filter((d) => d.channel === channel).at(-1)
  expect(decisionA).toMatchObject({ outcome: 'allow', cached: false })
  expect(decisionB).toMatchObject({ outcome: 'allow', cached: true })
  // The cached answer still carries the retained events.
  await waitFor(() => onlineB.length === 1, {
    timeoutMs: 30_000,
    what: 'stream.online from the cached answer',
  })
  expect(onlineB[0]).toEqual({ streamId: '42', online: true })
})
