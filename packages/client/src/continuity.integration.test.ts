/**
 * Presence without flicker, against real soketi: a client whose network blips for a second
 * (a loopback TCP proxy cuts its socket and refuses new ones) stays in the other client's
 * members (soketi announces its leave at once, its return a moment later: both within the
 * leave grace), and reads `reconnecting` with its members kept, then `subscribed` again;
 * a real leave shows after the grace, not before.
 */
import { type SoketiServer, startSoketi, waitFor } from '@presence/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BlipProxy, startBlipProxy } from '../test/blip-proxy.js'
import { type AuthServer, connectClient, startAuthServer } from '../test/harness.js'
import type { PusherOptionsWithKey } from './options.js'
import type { MemberSnapshot } from './snapshots.js'
import type { PresenceClient } from './types.js'

let soketi: SoketiServer
let auth: AuthServer
let proxy: BlipProxy
const clients: PresenceClient[] = []

beforeAll(async () => {
  soketi = await startSoketi()
  auth = await startAuthServer(soketi)
  proxy = await startBlipProxy(soketi.port)
})
afterAll(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await proxy?.close()
  await auth?.close()
  await soketi?.stop()
})

const CHANNEL = 'presence-blip'
const connect = (user: string, viaProxy: boolean) => {
  const client = connectClient(soketi, auth, user, {
    ...(viaProxy ? { pusher: { wsPort: proxy.port } as PusherOptionsWithKey } : {}),
    reconnect: { firstDelayMs: 200, maxDelayMs: 500 },
  })
  clients.push(client)
  client.subscribe(CHANNEL)
  return client
}
/** Every snapshot a client's store notifies, from now on. */
const record = (client: PresenceClient) => {
  const store = client.members(CHANNEL)
  const seen: MemberSnapshot[] = []
  store.subscribe(() => seen.push(store.getSnapshot()))
  return seen
}

describe('continuity through a network blip (soketi)', () => {
  it('the other client never loses the blipping one; the blipping one keeps its members; a real leave shows after the grace', async () => {
    const steady = connect('steady', false)
    const blipping = connect('blipping', true)
    const both = (c: PresenceClient) => {
      const s = c.members(CHANNEL).getSnapshot()
      return s.status === 'subscribed' && s.members.has('steady') && s.members.has('blipping')
    }
    await waitFor(() => both(steady) && both(blipping), { what: 'both joined', timeoutMs: 10_000 })

    const seenBySteady = record(steady)
    const seenByBlipping = record(blipping)
    const authBefore = auth.requests.length
    await proxy.blip(1000)
    // Back: a new authorization on the new socket, subscribed again.
    await waitFor(
      () =>
        auth.requests.length > authBefore &&
        blipping.members(CHANNEL).getSnapshot().status === 'subscribed',
      { what: 'blipping client subscribed again', timeoutMs: 10_000 },
    )
    // Give soketi's member_added for the return time to reach the steady client.
    await new Promise((resolve) => setTimeout(resolve, 500))

    // The steady client heard nothing: the leave and the return fell within the grace.
    expect(seenBySteady).toEqual([])
    expect(steady.members(CHANNEL).getSnapshot().members.has('blipping')).toBe(true)
    // The blipping client read `reconnecting`, then `subscribed`, never without its members.
    const statuses = seenByBlipping.map((s) => s.status)
    expect(statuses).toContain('reconnecting')
    expect(statuses.at(-1)).toBe('subscribed')
    for (const s of seenByBlipping)
      expect([...s.members.keys()].sort()).toEqual(['blipping', 'steady'])
    expect(blipping.members(CHANNEL).getSnapshot().me?.id).toBe('blipping')

    // A real leave: shown after the grace (3 s), not before.
    const leftAt = Date.now()
    blipping.destroy()
    await new Promise((resolve) => setTimeout(resolve, 2000))
    expect(steady.members(CHANNEL).getSnapshot().members.has('blipping')).toBe(true)
    await waitFor(() => !steady.members(CHANNEL).getSnapshot().members.has('blipping'), {
      what: 'the real leave',
      timeoutMs: 10_000,
    })
    expect(Date.now() - leftAt).toBeGreaterThanOrEqual(2900)
    expect(seenBySteady.filter((s) => !s.members.has('blipping'))).toHaveLength(1)
  })
})
